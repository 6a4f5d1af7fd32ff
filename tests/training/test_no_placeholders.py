"""Every /training/ URL answers from its own area's view module (none from a placeholder)."""

from django.urls import get_resolver

from training.urls import urlpatterns


def test_every_training_url_has_its_real_view():
    modules = {p.callback.__module__ for p in urlpatterns}
    assert all(module.startswith("training.views.") for module in modules), modules


def test_training_urls_are_mounted():
    assert "training" in get_resolver().namespace_dict
