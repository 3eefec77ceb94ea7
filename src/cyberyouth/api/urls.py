"""The typed API: one router per app, mounted here. OpenAPI docs at /api/docs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from cyberyouth import __version__
from cyberyouth.errors import DomainError
from cyberyouth.web.registry import cyberyouth_apps, optional_module

from .auth import AUTH

# The refusals every operation can answer, declared in the OpenAPI document so that clients (and
# the schemathesis run in the test suite) know them: the body is always {"detail": [error, …]}.
ERROR_RESPONSES = {
    "400": "Dữ liệu vi phạm một quy tắc (số quá lớn, giá trị không hợp lệ)",
    "401": "Thiếu hoặc sai mã truy cập",
    "403": "Không có quyền với đơn vị hoặc đối tượng này",
    "404": "Không tìm thấy (hoặc không thuộc phạm vi của bạn)",
    "422": "Dữ liệu gửi lên sai kiểu, quá dài hoặc có ký tự điều khiển",
}
ERROR_SCHEMA = {
    "title": "Errors",
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "array", "items": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "field": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    }}},
}


class CyberyouthAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERROR_SCHEMA
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for status, description in ERROR_RESPONSES.items():
                    if int(status) in operation["responses"]:
                        continue
                    operation["responses"].setdefault(status, {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}})
        return schema


api = CyberyouthAPI(
    title="cyberyouth API",
    version=__version__,
    description="API của hệ thống thực hiện Chương trình 311/QĐ-TTg. Xác thực: `Authorization: Bearer <mã>` "
    "(tạo bằng `cyberyouth token create USERNAME` hoặc trang Tài khoản → Mã API).",
    auth=AUTH,
    urls_namespace="api",
    # The viewer's files come from the package (ninja in INSTALLED_APPS); no validator badge,
    # which would call validator.swagger.io: the docs work on a machine without internet.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": [exc.as_dict()]}, status=exc.status_code)


@api.exception_handler(OverflowError)
def overflow_error(request, exc: OverflowError):
    # An id or number beyond what the database stores (e.g. 10**40): bad input, not a crash.
    return api.create_response(
        request, {"detail": [{"code": "out_of_range", "message": "Số quá lớn.", "field": None}]}, status=400)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    detail = [
        {"code": e.get("type", "invalid"), "message": e.get("msg", ""),
         "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return api.create_response(
        request, {"detail": [{"code": "unauthorized", "message": "Thiếu hoặc sai mã truy cập.", "field": None}]},
        status=401,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": [{"code": "not_found", "message": str(exc) or "Không tìm thấy.",
                                                      "field": None}]}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": [{"code": "forbidden", "message": str(exc), "field": None}]},
                               status=403)


# Each app's api.py `router` is mounted at /api/<mount>/ (API_MOUNT in api.py, else the app label).
for _config in cyberyouth_apps():
    _module = optional_module(_config, "api")
    if _module is not None and hasattr(_module, "router"):
        api.add_router(getattr(_module, "API_MOUNT", _config.label), _module.router)
