"""The connection form is declared once: the declarative ``conn-fields``/``ui-field-behaviour`` of
``get_provider_info()``, the hook's legacy methods, and what the hook reads all agree."""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import types
from typing import Any, cast

import pytest

from airflow_provider_ordermesh.client import Timeout
from airflow_provider_ordermesh.client.retry import DEFAULT_MAX_RETRIES
from airflow_provider_ordermesh.get_provider_info import get_provider_info
from airflow_provider_ordermesh.hooks import ordermesh as hook_module
from airflow_provider_ordermesh.hooks.connection_form import CONN_TYPE, DEFAULT_PORTAL_URL
from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

LEGACY_PREFIX = f"extra__{CONN_TYPE}__"


@pytest.fixture(scope="module")
def declared() -> dict[str, Any]:
    [entry] = get_provider_info()["connection-types"]
    return entry


def test_the_connection_type_entry_names_the_hook(declared: dict[str, Any]) -> None:
    assert declared["connection-type"] == OrderMeshHook.conn_type == "ordermesh"
    assert declared["hook-class-name"] == f"{OrderMeshHook.__module__}.{OrderMeshHook.__qualname__}"
    assert declared["hook-name"] == OrderMeshHook.hook_name
    assert OrderMeshHook.default_conn_name == "ordermesh_default"
    assert OrderMeshHook.conn_name_attr == "ordermesh_conn_id"


def test_legacy_ui_field_behaviour_matches_the_declarative_one(declared: dict[str, Any]) -> None:
    legacy = OrderMeshHook.get_ui_field_behaviour()
    translated = {key.replace("_", "-"): value for key, value in legacy.items()}
    assert translated == declared["ui-field-behaviour"]
    assert set(legacy) == {"hidden_fields", "relabeling", "placeholders"}


def test_hidden_fields_are_standard_fields_the_hook_ignores(declared: dict[str, Any]) -> None:
    hidden = declared["ui-field-behaviour"]["hidden-fields"]
    assert set(hidden) <= {"schema", "port", "extra", "host", "login", "password", "description"}
    assert not {"host", "login", "password"} & set(hidden), "the hook needs these"


class _RecordingExtras(dict):
    """An ``extra_dejson`` that remembers every key the hook asks for."""

    def __init__(self, asked: set[str]) -> None:
        super().__init__()
        self.asked = asked

    def get(self, key: Any, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.asked.add(key)
        return super().__getitem__(key)


class _Connection:
    def __init__(self, asked: set[str]) -> None:
        self.conn_id, self.host, self.schema, self.port = "ordermesh_default", None, None, None
        self.login, self.password = "svc-client", "a-secret"
        self._asked = asked

    @property
    def extra_dejson(self) -> dict[str, Any]:
        return _RecordingExtras(self._asked)


def _extras_read_at_run_time() -> set[str]:
    """Extras read when the client settings and every cached property of the hook are computed."""
    asked: set[str] = set()
    conn = _Connection(asked)
    hook = OrderMeshHook()
    hook.__dict__["connection"] = conn  # fills the cached property without Airflow
    OrderMeshHook.client_settings(conn)  # type: ignore[arg-type]
    for name, member in vars(OrderMeshHook).items():
        if isinstance(member, functools.cached_property) and name not in ("connection", "client"):
            getattr(hook, name)
    return {key.removeprefix(LEGACY_PREFIX) for key in asked}


def _extras_named_in_the_source() -> set[str]:
    """Every ``_extra(conn, "<name>", ...)`` call of the hook module."""
    tree = ast.parse(inspect.getsource(hook_module))
    return {
        cast(str, node.args[1].value)  # an extra's name
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "_extra"
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
    }


def test_every_extra_the_hook_reads_is_declared(declared: dict[str, Any]) -> None:
    read = _extras_read_at_run_time() | _extras_named_in_the_source()
    assert {"auth_type", "merchant_id", "portal_url", "timeout", "max_retries"} <= read  # the spy works
    undeclared = read - set(declared["conn-fields"])
    assert not undeclared, f"extras read by the hook but missing from conn-fields: {sorted(undeclared)}"


def test_every_declared_extra_is_read(declared: dict[str, Any]) -> None:
    unused = set(declared["conn-fields"]) - _extras_read_at_run_time() - _extras_named_in_the_source()
    assert not unused, f"conn-fields the hook never reads: {sorted(unused)}"


def test_conn_fields_are_well_formed(declared: dict[str, Any]) -> None:
    for name, spec in declared["conn-fields"].items():
        assert spec["label"] and isinstance(spec["label"], str), name
        types_ = spec["schema"]["type"]
        assert isinstance(types_, list) and "null" in types_, f"{name} must be optional"


def test_declared_defaults_are_the_ones_the_hook_uses(declared: dict[str, Any]) -> None:
    fields = declared["conn-fields"]
    assert fields["max_retries"]["schema"]["default"] == DEFAULT_MAX_RETRIES
    assert fields["timeout"]["schema"]["default"] == Timeout().read
    assert fields["portal_url"]["schema"]["default"] == DEFAULT_PORTAL_URL
    assert fields["auth_type"]["schema"]["default"] == "client_credentials"
    assert set(fields["auth_type"]["schema"]["enum"]) == {"client_credentials", "password"}
    assert fields["verify"]["schema"]["default"] is True
    assert fields["allow_insecure_http"]["schema"]["default"] is False

    settings = OrderMeshHook.client_settings(_Connection(set()))  # type: ignore[arg-type]
    assert settings["max_retries"] == fields["max_retries"]["schema"]["default"]
    assert settings["timeout"].read == fields["timeout"]["schema"]["default"]
    assert settings["verify"] is fields["verify"]["schema"]["default"]
    assert settings["allow_insecure_http"] is fields["allow_insecure_http"]["schema"]["default"]


def test_legacy_form_widgets_match_conn_fields(
    declared: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Older (Flask) UIs call ``get_connection_form_widgets``; Airflow 3 ships no wtforms, so stand-ins record it."""

    class Field:
        def __init__(
            self, label: str, description: str | None = None, validators: Any = None, **kw: Any
        ) -> None:
            self.label, self.description = label, description

    kinds = {name: type(name, (Field,), {}) for name in ("StringField", "IntegerField", "BooleanField")}
    wtforms = types.ModuleType("wtforms")
    wtforms.__dict__.update(kinds)
    validators = types.ModuleType("wtforms.validators")
    validators.Optional = lambda: None  # type: ignore[attr-defined]
    widgets = types.ModuleType("flask_appbuilder.fieldwidgets")
    widgets.BS3TextFieldWidget = lambda: None  # type: ignore[attr-defined]
    for name, module in {
        "wtforms": wtforms,
        "wtforms.validators": validators,
        "flask_appbuilder": types.ModuleType("flask_appbuilder"),
        "flask_appbuilder.fieldwidgets": widgets,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)

    form = OrderMeshHook.get_connection_form_widgets()

    fields = declared["conn-fields"]
    assert set(form) == set(fields)
    expected_kind = {"boolean": "BooleanField", "integer": "IntegerField"}
    for name, widget in form.items():
        assert (widget.label, widget.description) == (fields[name]["label"], fields[name].get("description"))
        kind = next(
            (expected_kind[t] for t in fields[name]["schema"]["type"] if t in expected_kind), "StringField"
        )
        assert type(widget).__name__ == kind, name
