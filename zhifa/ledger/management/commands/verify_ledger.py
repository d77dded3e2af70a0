from django.core.management.base import BaseCommand, CommandError

from zhifa.ledger.verify import verify_ledger


class Command(BaseCommand):
    help = (
        "校验存证日志：按存储的规范JSON重算每个叶子哈希和整棵默克尔树，核对树节点、检查点根哈希与签名，"
        "按来源记录重建每个叶子，并重新计算所引用文件的哈希。发现不一致时逐条列出并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-files", action="store_true", help="不重新计算文件哈希。")
        parser.add_argument("--skip-sources", action="store_true", help="不与来源记录比对。")

    def handle(self, *args, skip_files=False, skip_sources=False, **options):
        problems = 0
        for problem in verify_ledger(check_files=not skip_files, check_sources=not skip_sources):
            problems += 1
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"存证日志校验未通过：发现{problems}处不一致。", returncode=1)
        self.stdout.write(
            self.style.SUCCESS("存证日志校验通过：叶子、树节点、检查点、来源记录和文件均一致。")
        )
