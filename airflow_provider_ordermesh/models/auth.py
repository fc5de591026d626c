"""Token requests and answers (``GetServiceClientTokenDto``, ``LoginUserDto``, ``TokenResponseDTO``).

The field names are reconstructed: the docs name the schemas but do not show their fields.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from airflow_provider_ordermesh.models._base import ApiModel, RequestModel


class ClientTokenRequest(RequestModel):
    client_id: str = Field(min_length=1)
    client_secret: SecretStr

    def to_api(self) -> dict[str, str]:
        return {"clientId": self.client_id, "clientSecret": self.client_secret.get_secret_value()}


class LoginRequest(RequestModel):
    username: str = Field(min_length=1)
    password: SecretStr

    def to_api(self) -> dict[str, str]:
        return {"username": self.username, "password": self.password.get_secret_value()}


class RefreshRequest(RequestModel):
    refresh_token: SecretStr

    def to_api(self) -> dict[str, str]:
        return {"refreshToken": self.refresh_token.get_secret_value()}


class TokenResponse(ApiModel):
    """An access token, its lifetime in seconds and, for password logins, a refresh token."""

    access_token: SecretStr
    expires_in: float = 24 * 3600
    token_type: str = "Bearer"
    refresh_token: SecretStr | None = None
