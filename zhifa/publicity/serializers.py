"""Serializers of the public open-data API (G10): read-only views of ``PortalEntry``."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import opendata
from .models import Category, PortalEntry
from .rules import wan_yuan


class WithdrawalSerializer(serializers.Serializer):
    kind_label = serializers.CharField(
        help_text="撤回原因类别：决定被变更、撤销、确认违法或无效，或公示信息不准确。"
    )
    reason = serializers.CharField(help_text="撤回理由（G5：撤回时公开理由）。")
    withdrawn_on = serializers.DateField(help_text="撤回日期（YYYY-MM-DD）。")


_DATETIME = serializers.DateTimeField()


class OpenEntrySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="publication_id", help_text="公示编号（稳定不变，可作为主键保存）。")
    category = serializers.ChoiceField(
        choices=Category.choices,
        help_text="公示类别代码：penalty 行政处罚、no_penalty 不予行政处罚、licensing 行政许可、inspection 行政检查、coercion 行政强制。",
    )
    category_label = serializers.SerializerMethodField(help_text="公示类别名称。")
    version = serializers.IntegerField(
        source="version_number", help_text="公示版本号；更正后重新公示的版本号加一。"
    )
    withdrawn = serializers.BooleanField(help_text="是否已撤回（G5）。已撤回的条目只保留少数字段和撤回理由。")
    title = serializers.CharField(help_text="标题。")
    party_name = serializers.CharField(help_text="行政相对人名称（自然人姓名已隐去名字，G4）。")
    document_number = serializers.CharField(help_text="决定文书文号。")
    agency = serializers.IntegerField(
        source="agency_id", help_text="执法主体编号（可用作 agency 筛选参数）。"
    )
    agency_name = serializers.CharField(help_text="执法主体名称。")
    region_code = serializers.CharField(help_text="执法主体所在行政区划代码（GB/T 2260，6位）。")
    decided_on = serializers.DateField(help_text="决定（结果）日期，YYYY-MM-DD。")
    display_until = serializers.DateField(
        allow_null=True, help_text="公示截止日期（G9），期满后条目从门户和开放数据中移除。"
    )
    amount_wan = serializers.SerializerMethodField(
        help_text="罚款与没收金额合计，单位万元，四位小数；无金额为 null。"
    )
    withdrawal = serializers.SerializerMethodField(help_text="撤回信息；未撤回为 null。")
    published_at = serializers.DateTimeField(help_text="首次公示时间（ISO 8601，含时区）。")
    updated_at = serializers.DateTimeField(
        help_text="最近一次变化（公示、更正、撤回）的时间；增量同步用 updated_since 筛选。"
    )
    ledger_index = serializers.IntegerField(
        allow_null=True, help_text="在存证日志（账本）中的序号，可在门户“记录存证”页验证；尚未入账为 null。"
    )
    url = serializers.SerializerMethodField(help_text="门户上的详情页地址。")
    fields = serializers.SerializerMethodField(
        method_name="get_snapshot_fields",
        help_text="公示内容（已审核、已隐去个人信息的快照），键名见开放数据说明页；金额字段 *_yuan 单位为元。",
    )
    shuanggongshi = serializers.SerializerMethodField(
        help_text="“双公示”格式（G10）的记录：列名 → 值，顺序与 CSV/xlsx 导出相同，金额单位万元。仅行政处罚、行政许可且未撤回的条目有值，其余为 null。"
    )

    class Meta:
        model = PortalEntry
        fields = [
            "id",
            "category",
            "category_label",
            "version",
            "withdrawn",
            "title",
            "party_name",
            "document_number",
            "agency",
            "agency_name",
            "region_code",
            "decided_on",
            "display_until",
            "amount_wan",
            "withdrawal",
            "published_at",
            "updated_at",
            "ledger_index",
            "url",
            "fields",
            "shuanggongshi",
        ]
        read_only_fields = fields

    def to_representation(self, entry):
        """The same output as the declared fields (which document the schema), built directly:
        the generic field machinery costs more than the query on a page of 500."""
        datetime = _DATETIME.to_representation
        return {
            "id": entry.publication_id,
            "category": entry.category,
            "category_label": self.get_category_label(entry),
            "version": entry.version_number,
            "withdrawn": entry.withdrawn,
            "title": entry.title,
            "party_name": entry.party_name,
            "document_number": entry.document_number,
            "agency": entry.agency_id,
            "agency_name": entry.agency_name,
            "region_code": entry.region_code,
            "decided_on": entry.decided_on.isoformat(),
            "display_until": entry.display_until.isoformat() if entry.display_until else None,
            "amount_wan": self.get_amount_wan(entry),
            "withdrawal": self.get_withdrawal(entry),
            "published_at": datetime(entry.published_at),
            "updated_at": datetime(entry.updated_at),
            "ledger_index": entry.ledger_index,
            "url": self.get_url(entry),
            "fields": self.get_snapshot_fields(entry),
            "shuanggongshi": self.get_shuanggongshi(entry),
        }

    def get_category_label(self, entry) -> str:
        return Category(entry.category).label if entry.category in Category.values else entry.category

    @extend_schema_field({"type": "string", "nullable": True, "example": "0.5000"})
    def get_amount_wan(self, entry) -> str | None:
        return str(wan_yuan(entry.amount)) if entry.amount is not None else None

    @extend_schema_field(WithdrawalSerializer(allow_null=True))
    def get_withdrawal(self, entry):
        if not entry.withdrawn:
            return None
        fields = entry.fields or {}
        return {
            "kind_label": fields.get("withdrawal_kind_label", ""),
            "reason": fields.get("withdrawal_reason", ""),
            "withdrawn_on": fields.get("withdrawn_on") or None,
        }

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, entry) -> str | None:
        template = self._url_template()
        return f"{template[:-2]}{entry.publication_id}/" if template else None

    def _url_template(self) -> str | None:
        """The detail URL with id 0, resolved once per response (not once per row)."""
        if "_url_template" not in self.context:
            try:
                path = reverse("portal:decision_detail", args=[0])
                path = path if path.endswith("/0/") else None
            except NoReverseMatch:  # the portal detail page is not installed
                path = None
            request = self.context.get("request")
            self.context["_url_template"] = request.build_absolute_uri(path) if request and path else path
        return self.context["_url_template"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_snapshot_fields(self, entry) -> dict:
        return opendata.public_fields(entry.category, entry.fields)

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": {"type": "string"}})
    def get_shuanggongshi(self, entry) -> dict | None:
        if entry.withdrawn:
            return None
        return opendata.record(entry.category, entry.fields or {}, entry.version_number)


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="列名（与 CSV/xlsx 表头一致）。")
    meaning = serializers.CharField(help_text="含义和填写规则。")
    kind = serializers.ChoiceField(
        choices=["text", "date", "amount", "hidden"],
        help_text="text 文本；date 日期（YYYY-MM-DD）；amount 金额（万元，四位小数）；hidden 不公开（始终为空）。",
    )


class LayoutSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="penalty 或 licensing。")
    label = serializers.CharField(help_text="行政处罚 或 行政许可。")
    csv = serializers.CharField(help_text="CSV 导出地址。")
    xlsx = serializers.CharField(help_text="xlsx 导出地址。")
    columns = ColumnSerializer(many=True, help_text="列，按导出顺序。")
