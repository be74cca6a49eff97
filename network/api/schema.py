"""How the OpenAPI schema describes our authentication (drf-spectacular's extension point)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "network.api.auth.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token issued by the network's secretariat: `Authorization: Bearer kloss_...`. "
                "It sees what a member of its institution sees (a network token: an ordinary member), "
                "within its scope (read public, or read what members see)."
            ),
        }
