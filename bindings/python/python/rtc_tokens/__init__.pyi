"""Type stubs for rtc_tokens (the extension module rtc_tokens._rtc_tokens)."""

from os import PathLike
from typing import Any, ClassVar, Dict, Iterable, List, Literal, Optional, Tuple, TypedDict, Union

__version__: str

DEFAULT_VALIDITY_SECS: int
DEFAULT_RENEW_BEFORE_SECS: int
#: Every vendor name the binding knows: ("zego", "agora", "tencent").
VENDORS: Tuple[str, ...]
#: Every error kind: ("invalid_input", "malformed", ...).
ERROR_KINDS: Tuple[str, ...]

VendorName = Literal["zego", "zegocloud", "agora", "tencent", "trtc"]
TokenKindName = Literal["rtc", "rtm", "rtc_rtm", "chat", "chat_app", "convoai", "stt"]
RoleName = Literal["publisher", "subscriber", "host", "broadcaster", "audience"]
VersionName = Literal["04", "006", "007", "usersig"]
#: A neutral privilege: what `verify(require=...)` checks and
#: `issue(privileges=...)` grants (Tencent only).
PrivilegeName = Literal[
    "join_channel",
    "publish_audio",
    "publish_video",
    "publish_data",
    "rtm_login",
    "chat_user",
    "chat_app",
    "create_room",
    "subscribe_audio",
    "subscribe_video",
    "publish_screen",
    "subscribe_screen",
]
#: The former name of PrivilegeName.
RequirableName = PrivilegeName
Secret = Union[str, bytes]

class PrivilegeExpiries(TypedDict, total=False):
    """Agora 007 only: per-privilege validities, seconds from issue."""

    join: int
    publish_audio: int
    publish_video: int
    publish_data: int

# ------------------------------------------------------------------ errors

class RtcTokensError(Exception):
    """Base class of every rtc_tokens error."""

    #: The category (`invalid_input`, `malformed`, ...); None on the base class.
    kind: ClassVar[Optional[str]]
    #: The vendor the error concerns, if any.
    vendor: Optional[str]
    #: The message without the vendor prefix; never a secret or a token.
    message: str

class InvalidInput(RtcTokensError):
    """The request or a setting is invalid: nothing was built."""

class Malformed(RtcTokensError):
    """The token is not well formed."""

class Version(RtcTokensError):
    """The token has a version prefix this provider does not handle."""

class Signature(RtcTokensError):
    """The signature does not verify with the configured credentials."""

class Decrypt(RtcTokensError):
    """The token cannot be decrypted with the configured secret."""

class Expired(RtcTokensError):
    """The token, or a privilege it requires, has expired."""

class Mismatch(RtcTokensError):
    """Authentic, but for another app id, room or user, or without a required privilege."""

class Internal(RtcTokensError):
    """The operating system's random number generator failed; retrying may succeed."""

# ------------------------------------------------------------------ results

class IssuedToken:
    """A token issued by a provider. Immutable; its repr leaves the token out."""

    @property
    def token(self) -> str: ...
    @property
    def vendor(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def issued_at(self) -> int: ...
    @property
    def expires_at(self) -> int: ...
    @property
    def renew_at(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...

class PrivilegeView:
    """One privilege of a parsed token, in plain words."""

    @property
    def service(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def expires_at(self) -> Optional[int]: ...
    def __eq__(self, other: object) -> bool: ...

class ParsedToken:
    """The vendor-neutral view of a parsed token. Immutable."""

    @property
    def vendor(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def app_id(self) -> Optional[str]: ...
    @property
    def user(self) -> Optional[str]: ...
    @property
    def room(self) -> Optional[str]: ...
    @property
    def issued_at(self) -> Optional[int]: ...
    @property
    def expires_at(self) -> int: ...
    @property
    def privileges(self) -> List[PrivilegeView]: ...
    @property
    def verification(
        self,
    ) -> Literal["verified", "decrypted_unauthenticated", "signature_invalid", "not_checked"]: ...
    @property
    def detail(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...

# ------------------------------------------------------------------ providers

class TokenProvider:
    """Issues and checks one vendor's tokens (built by a subclass or by Config)."""

    @property
    def vendor(self) -> str: ...
    @property
    def app_id(self) -> str: ...
    def issue(
        self,
        *,
        now: Optional[int] = None,
        kind: Optional[TokenKindName] = None,
        user_id: Optional[str] = None,
        uid: Optional[int] = None,
        room: Optional[str] = None,
        channel: Optional[str] = None,
        role: Optional[RoleName] = None,
        validity_secs: Optional[int] = None,
        stream_ids: Optional[Iterable[str]] = None,
        privilege_expiries: Optional[PrivilegeExpiries] = None,
        privileges: Optional[Iterable[PrivilegeName]] = None,
    ) -> IssuedToken: ...
    def inspect(
        self,
        token: str,
        *,
        expect_app_id: Optional[str] = None,
        expect_room: Optional[str] = None,
        expect_user: Optional[str] = None,
        version: Optional[VersionName] = None,
    ) -> ParsedToken: ...
    def verify(
        self,
        token: str,
        *,
        expect_app_id: Optional[str] = None,
        expect_room: Optional[str] = None,
        expect_user: Optional[str] = None,
        version: Optional[VersionName] = None,
        require: Optional[Iterable[PrivilegeName]] = None,
        now: Optional[int] = None,
        check_expiry: bool = True,
    ) -> ParsedToken: ...

class ZegoProvider(TokenProvider):
    """ZEGOCLOUD token04 provider."""

    def __init__(
        self,
        app_id: int,
        server_secret: Secret,
        *,
        mode: Literal["gcm", "cbc"] = "gcm",
        renew_before_secs: int = 30,
    ) -> None: ...
    @staticmethod
    def demo() -> "ZegoProvider": ...

class AgoraProvider(TokenProvider):
    """Agora provider: AccessToken2 007 (default) or AccessToken 006."""

    def __init__(
        self,
        app_id: str,
        app_certificate: Secret,
        *,
        version: Literal["007", "006", "7", "6"] = "007",
        renew_before_secs: int = 30,
    ) -> None: ...
    @staticmethod
    def demo(*, version: Literal["007", "006", "7", "6"] = "007") -> "AgoraProvider": ...

class TencentProvider(TokenProvider):
    """Tencent Cloud TRTC provider: a UserSig, or a PrivateMapKey when a room is given."""

    def __init__(
        self,
        sdk_app_id: int,
        secret_key: Secret,
        *,
        renew_before_secs: int = 30,
    ) -> None: ...
    @staticmethod
    def demo() -> "TencentProvider": ...
    @staticmethod
    def privileges_of_map(map: int) -> List[PrivilegeName]:
        """The neutral privileges a TRTC privilege map (bits 1 to 128) grants."""

class Providers:
    """At most one provider per vendor, with a default; detects a token's vendor."""

    def __init__(self, *providers: TokenProvider, default_vendor: Optional[VendorName] = None) -> None: ...
    @property
    def vendors(self) -> List[str]: ...
    @property
    def default_vendor(self) -> Optional[str]: ...
    def get(self, vendor: VendorName) -> Optional[TokenProvider]: ...
    def issue(
        self,
        vendor: Optional[VendorName] = None,
        *,
        now: Optional[int] = None,
        kind: Optional[TokenKindName] = None,
        user_id: Optional[str] = None,
        uid: Optional[int] = None,
        room: Optional[str] = None,
        channel: Optional[str] = None,
        role: Optional[RoleName] = None,
        validity_secs: Optional[int] = None,
        stream_ids: Optional[Iterable[str]] = None,
        privilege_expiries: Optional[PrivilegeExpiries] = None,
        privileges: Optional[Iterable[PrivilegeName]] = None,
    ) -> IssuedToken: ...
    def inspect(
        self,
        token: str,
        *,
        expect_app_id: Optional[str] = None,
        expect_room: Optional[str] = None,
        expect_user: Optional[str] = None,
        version: Optional[VersionName] = None,
    ) -> ParsedToken: ...
    def verify(
        self,
        token: str,
        *,
        expect_app_id: Optional[str] = None,
        expect_room: Optional[str] = None,
        expect_user: Optional[str] = None,
        version: Optional[VersionName] = None,
        require: Optional[Iterable[PrivilegeName]] = None,
        now: Optional[int] = None,
        check_expiry: bool = True,
    ) -> ParsedToken: ...

class Config:
    """Providers configured from the environment or TOML (the CLI's and server's loader)."""

    @staticmethod
    def from_env() -> "Config": ...
    @staticmethod
    def from_toml_file(path: Union[str, "PathLike[str]"]) -> "Config": ...
    @staticmethod
    def from_toml_str(text: str, base_dir: Optional[Union[str, "PathLike[str]"]] = None) -> "Config": ...
    @property
    def providers(self) -> Providers: ...
    @property
    def vendors(self) -> List[str]: ...
    @property
    def default_vendor(self) -> Optional[str]: ...
    @property
    def renew_before_secs(self) -> int: ...
    @property
    def warnings(self) -> List[str]: ...

def detect(token: str) -> Tuple[str, str]:
    """The (vendor, version) a token's prefix (or a UserSig's shape) names, e.g. ("agora", "007")."""
