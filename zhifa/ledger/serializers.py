from rest_framework import serializers

from .models import LedgerCheckpoint, LedgerLeaf


class CheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerCheckpoint
        fields = [
            "size",
            "root_hash",
            "algorithm",
            "signature_algorithm",
            "origin",
            "key_id",
            "signature",
            "note",
            "created_at",
        ]


class PublicKeySerializer(serializers.Serializer):
    origin = serializers.CharField(help_text="日志标识，即检查点第一行和签名密钥名。")
    algorithm = serializers.CharField(help_text="签名算法：ed25519 或 sm2。")
    hash_algorithm = serializers.CharField(help_text="默克尔树哈希算法：sha256 或 sm3。")
    key_id = serializers.CharField(help_text="密钥ID（signed-note 规则，4字节十六进制）。")
    public_key = serializers.CharField(help_text="公钥（十六进制）。")
    public_key_base64 = serializers.CharField()
    verifier_key = serializers.CharField(help_text="验证公钥串：名称+密钥ID+Base64(类型||公钥)。")


class InclusionProofSerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    leaf_index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    leaf_hash = serializers.CharField(help_text="叶子哈希 = H(0x00 || 规范JSON)，十六进制。")
    root_hash = serializers.CharField()
    proof = serializers.ListField(child=serializers.CharField(), help_text="审计路径（RFC 9162 §2.1.3）。")


class ConsistencyProofSerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    first_root = serializers.CharField()
    second_root = serializers.CharField()
    proof = serializers.ListField(child=serializers.CharField(), help_text="一致性证明（RFC 9162 §2.1.4）。")


class LeafSerializer(serializers.ModelSerializer):
    """Public: position and hash. The canonical JSON only for staff whose scope covers the leaf."""

    data = serializers.SerializerMethodField(help_text="规范JSON，仅对有权查看该机构记录的工作人员提供。")

    class Meta:
        model = LedgerLeaf
        fields = ["index", "kind", "leaf_hash", "algorithm", "created_at", "sequenced_at", "data"]

    def get_data(self, leaf) -> str | None:
        visible = self.context.get("visible_ids")
        return leaf.data if visible is None or leaf.pk in visible else None


class StaffLeafSerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerLeaf
        fields = [
            "id",
            "index",
            "kind",
            "source",
            "object_id",
            "organization",
            "leaf_hash",
            "algorithm",
            "data",
            "created_at",
            "sequenced_at",
        ]
