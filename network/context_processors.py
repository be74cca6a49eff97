from .rules import is_active_member


def membership(request):
    """`is_intranet_member` for the navigation: whether to show the intranet's links."""
    user = getattr(request, "user", None)
    return {"is_intranet_member": bool(user and is_active_member(user))}
