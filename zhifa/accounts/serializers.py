from rest_framework import serializers

from .models import User


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organization_name = serializers.CharField(source="organization.name", default=None, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "organization", "organization_name", "roles"]

    def get_roles(self, user) -> list[str]:
        return [role.value for role in user.roles]
