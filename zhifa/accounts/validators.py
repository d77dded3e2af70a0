"""Strong passwords: at least three of four character classes (GB/T 22239-2019 等保 2.0 §8.1.4.1)."""

import re

from django.core.exceptions import ValidationError

CLASSES = {
    "大写字母": re.compile(r"[A-Z]"),
    "小写字母": re.compile(r"[a-z]"),
    "数字": re.compile(r"\d"),
    "特殊符号": re.compile(r"[^A-Za-z0-9]"),
}


def missing_character_classes(password: str) -> list[str]:
    return [name for name, pattern in CLASSES.items() if not pattern.search(password)]


class CharacterClassValidator:
    required = 3

    def validate(self, password, user=None):
        present = len(CLASSES) - len(missing_character_classes(password))
        if present < self.required:
            raise ValidationError(self.get_help_text(), code="password_character_classes")

    def get_help_text(self):
        return "密码须至少包含大写字母、小写字母、数字、特殊符号中的三类（等保2.0身份鉴别要求）。"
