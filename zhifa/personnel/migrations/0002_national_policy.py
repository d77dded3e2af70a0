from django.db import migrations


def create_national_default(apps, schema_editor):
    """The national default row an administrator edits; provinces may add their own rows."""
    policy = apps.get_model("personnel", "PersonnelPolicy")
    if not policy.objects.filter(region__isnull=True).exists():
        policy.objects.create(
            region=None,
            basis="全国默认值：每年培训不少于40学时；上一年度年审于每年第90日前完成；到期及年审提前60日预警。"
            "证件编号格式因全国统一编号规则未能从公开权威来源确认，按省份配置（司办通〔2020〕78号）。",
        )


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]

    operations = [migrations.RunPython(create_national_default, migrations.RunPython.noop)]
