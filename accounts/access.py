"""Route-level access: who may open a page at all. Outsiders get 404, never a hint that it exists."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from accounts.models import Role


def role_required(*roles: Role):
    """Signed-in users with one of ``roles`` pass; anonymous users go to sign in; everyone else gets 404."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
