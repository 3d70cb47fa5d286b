"""Issue and verify ZEGOCLOUD token04, Agora AccessToken 006/007 and Tencent
Cloud TRTC UserSig/PrivateMapKey RTC tokens.

A thin binding of the Rust ``rtc-tokens`` facade: every rule lives in Rust;
this package converts types. See ``help(rtc_tokens.TokenProvider)``.
"""

from ._rtc_tokens import (
    DEFAULT_RENEW_BEFORE_SECS,
    DEFAULT_VALIDITY_SECS,
    ERROR_KINDS,
    VENDORS,
    AgoraProvider,
    Config,
    Decrypt,
    Expired,
    Internal,
    InvalidInput,
    IssuedToken,
    Malformed,
    Mismatch,
    ParsedToken,
    PrivilegeView,
    Providers,
    RtcTokensError,
    Signature,
    TencentProvider,
    TokenProvider,
    Version,
    ZegoProvider,
    __version__,
    detect,
)

__all__ = [
    "DEFAULT_RENEW_BEFORE_SECS",
    "DEFAULT_VALIDITY_SECS",
    "ERROR_KINDS",
    "VENDORS",
    "AgoraProvider",
    "Config",
    "Decrypt",
    "Expired",
    "Internal",
    "InvalidInput",
    "IssuedToken",
    "Malformed",
    "Mismatch",
    "ParsedToken",
    "PrivilegeView",
    "Providers",
    "RtcTokensError",
    "Signature",
    "TencentProvider",
    "TokenProvider",
    "Version",
    "ZegoProvider",
    "__version__",
    "detect",
]
