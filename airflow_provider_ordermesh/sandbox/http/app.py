"""The sandbox as a FastAPI app: one route per endpoint of the client's endpoint table, the
control and portal routes, one handler that turns sandbox errors into error bodies, and the
middleware in front of it all.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from airflow_provider_ordermesh import __version__
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS, Endpoint
from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from airflow_provider_ordermesh.sandbox.backend.errors import SandboxError, Unauthorized, error_body
from airflow_provider_ordermesh.sandbox.http import control, portal
from airflow_provider_ordermesh.sandbox.http.api import Call, PageRequest
from airflow_provider_ordermesh.sandbox.http.handlers import OPERATIONS, RegisteredHandler
from airflow_provider_ordermesh.sandbox.http.instance import SandboxInstance
from airflow_provider_ordermesh.sandbox.http.middleware import SandboxMiddleware


def create_app(config: SandboxConfig | None = None) -> FastAPI:
    """A new, isolated sandbox; its state is ``app.state.sandbox``."""
    app = FastAPI(
        title="OrderMesh sandbox",
        version=__version__,
        description="A local OrderMesh for developing and testing DAGs. Control API under /_sandbox/.",
        docs_url="/_sandbox/docs",
        swagger_ui_oauth2_redirect_url="/_sandbox/docs/oauth2-redirect",
        redoc_url=None,
        openapi_url="/_sandbox/openapi.json",
    )
    app.state.sandbox = SandboxInstance(config or SandboxConfig())
    for api_endpoint in sorted(ENDPOINTS.values(), key=_literal_segments_first):
        app.add_api_route(
            api_endpoint.path,
            _route(api_endpoint),
            methods=[api_endpoint.method],
            name=api_endpoint.name,
            summary=api_endpoint.title,
        )
    app.include_router(control.router)
    app.include_router(portal.router)
    app.add_exception_handler(SandboxError, _sandbox_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_middleware(SandboxMiddleware)
    return app


def _route(api_endpoint: Endpoint) -> Any:
    """The route of one endpoint: authenticate, read paging, run the handler, shape the answer."""
    try:
        operation = OPERATIONS[api_endpoint.name]
    except KeyError:
        raise LookupError(
            f"the sandbox has no handler for endpoint {api_endpoint.name!r}; "
            "add its row to OPERATIONS in airflow_provider_ordermesh/sandbox/http/handlers.py"
        ) from None

    async def route(request: Request) -> Response:
        instance: SandboxInstance = request.app.state.sandbox
        principal = (
            instance.tokens.authenticate(request.headers.get("Authorization"))
            if api_endpoint.authenticated
            else ""
        )
        page = PageRequest.from_query(request.query_params) if api_endpoint.paged else None
        call = Call(
            api_endpoint,
            request.path_params,
            request.query_params,
            await request.body(),
            principal,
            instance,
            str(request.base_url),
        )
        return _answer(api_endpoint, operation, operation.handler(call), page)

    return route


def _answer(
    api_endpoint: Endpoint, operation: RegisteredHandler, result: Any, page: PageRequest | None
) -> Response:
    if result is None:
        return Response(status_code=204)
    if page is not None and api_endpoint.response_key:
        result = page.envelope(api_endpoint.response_key, result)
    elif api_endpoint.response_key:
        result = {api_endpoint.response_key: result}
    return JSONResponse(result, status_code=operation.status)


def _literal_segments_first(api_endpoint: Endpoint) -> tuple[bool, ...]:
    """Route order: ``/v1/orders/search`` before ``/v1/orders/{order_id}``, so literal paths win."""
    return tuple(segment.startswith("{") for segment in api_endpoint.path.split("/"))


async def _sandbox_error(request: Request, exc: SandboxError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return JSONResponse(exc.body(request.state.request_id), status_code=exc.status_code, headers=headers)


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """Unknown paths and methods answer in the API's error shape too."""
    body = error_body(
        exc.status_code, f"{exc.detail}: {request.method} {request.url.path}", request.state.request_id
    )
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
