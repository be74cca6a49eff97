"""The admin forgets what it changes, through the same declarations as the services
(network/cache/, each app's fragments.py): every ModelAdmin of a model whose pages are cached
takes this mixin first (a test checks that none is missing)."""

from network import cache


class InvalidatingAdminMixin:
    def save_model(self, request, obj, form, change):
        if change:
            # What the row showed in before the edit (a host, an owner, an institution it leaves).
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            if previous is not None:
                cache.changed(previous)
        super().save_model(request, obj, form, change)
        cache.changed(obj)

    def delete_model(self, request, obj):
        cache.changed(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        cache.changed(*queryset)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        rows = [*formset.new_objects, *(row for row, _fields in formset.changed_objects), *formset.deleted_objects]
        declared = [row for row in rows if cache.is_declared(type(row))]
        if declared:
            cache.changed(*declared)
