"""Unit tests of the Python surface: errors, reprs, value semantics,
secrets, the registry and the configuration loader."""

import ast
import os
import stat
import warnings
from pathlib import Path

import pytest

import rtc_tokens as rt

AGORA_APP_ID = "0123456789abcdef0123456789abcdef"
AGORA_CERT = "fedcba9876543210fedcba9876543210"
ZEGO_SECRET = "demo0000demo0000demo0000demo0000"
NOW = 1_700_000_000


def test_one_error_class_per_kind_under_one_base():
    assert rt.ERROR_KINDS == (
        "invalid_input", "malformed", "version", "signature",
        "decrypt", "expired", "mismatch", "internal",
    )
    for kind in rt.ERROR_KINDS:
        cls = getattr(rt, "".join(word.title() for word in kind.split("_")))
        assert issubclass(cls, rt.RtcTokensError) and issubclass(cls, Exception)
        assert cls.kind == kind
        assert cls.__module__ == "rtc_tokens"
    assert rt.RtcTokensError.kind is None


def test_errors_carry_kind_vendor_and_message_never_the_secret():
    token = rt.AgoraProvider.demo().issue(user_id="alice", room="lobby").token
    other = "00000000000000000000000000000001"
    with pytest.raises(rt.Signature) as failed:
        rt.AgoraProvider(AGORA_APP_ID, other).verify(token)
    err = failed.value
    assert (err.kind, err.vendor) == ("signature", "agora")
    assert str(err) == f"agora: {err.message}"
    assert other not in str(err) and token not in str(err)
    with pytest.raises(rt.Mismatch, match="channel"):
        rt.AgoraProvider.demo().verify(token, expect_room="kitchen")
    with pytest.raises(rt.Malformed):
        rt.AgoraProvider.demo().verify("007eJxTYBBY")
    with pytest.raises(rt.Version):
        rt.AgoraProvider.demo().verify(token, version="006")
    with pytest.raises(rt.Decrypt):
        rt.ZegoProvider(1, "x" * 32).verify(rt.ZegoProvider.demo().issue(user_id="u").token)
    with pytest.raises(rt.Expired):
        rt.ZegoProvider.demo().verify(rt.ZegoProvider.demo().issue(user_id="u", now=NOW).token)
    secret = "not-a-32-byte-secret"
    with pytest.raises(rt.InvalidInput) as bad:
        rt.ZegoProvider(1, secret)
    assert secret not in str(bad.value)


def test_bad_arguments():
    with pytest.raises(TypeError):
        rt.AgoraProvider(AGORA_APP_ID, 1234)
    with pytest.raises(TypeError, match="bogus"):
        rt.AgoraProvider.demo().issue(user_id="alice", room="lobby", bogus=1)
    with pytest.raises(rt.InvalidInput, match="role"):
        rt.AgoraProvider.demo().issue(user_id="alice", room="lobby", role="king")
    with pytest.raises(rt.InvalidInput, match="validity_secs"):
        rt.AgoraProvider.demo().issue(user_id="alice", room="lobby", validity_secs=0)
    with pytest.raises(rt.InvalidInput, match="version"):
        rt.AgoraProvider(AGORA_APP_ID, AGORA_CERT, version="008")
    with pytest.raises(rt.InvalidInput, match="require"):
        rt.AgoraProvider.demo().verify("007x", require=["fly"])
    with pytest.raises(TypeError):
        rt.TokenProvider()


def test_reprs_show_no_secret_and_no_token():
    agora = rt.AgoraProvider(AGORA_APP_ID, AGORA_CERT, version="006")
    zego = rt.ZegoProvider(1234567890, ZEGO_SECRET.encode(), mode="cbc")
    assert repr(agora) == f"AgoraProvider(app_id='{AGORA_APP_ID}', version='006')"
    assert repr(zego) == "ZegoProvider(app_id='1234567890', mode='cbc')"
    registry = rt.Providers(agora, zego, default_vendor="zego")
    for shown in (repr(agora), repr(zego), repr(registry)):
        assert AGORA_CERT not in shown and ZEGO_SECRET not in shown
    issued = agora.issue(user_id="alice", room="lobby", now=NOW)
    assert issued.token not in repr(issued) and "<redacted>" in repr(issued)
    parsed = agora.verify(issued.token, expect_room="lobby", expect_user="alice", now=NOW)
    assert issued.token not in repr(parsed) and "verified" in repr(parsed)
    assert "join channel" in repr(parsed.privileges[0])


def test_results_are_frozen_values():
    agora = rt.AgoraProvider.demo()
    issued = agora.issue(user_id="alice", room="lobby", now=NOW)
    with pytest.raises(AttributeError):
        issued.token = "x"
    first = agora.verify(issued.token, now=NOW)
    second = agora.verify(issued.token, now=NOW)
    assert first == second and first is not second
    assert first != agora.verify(agora.issue(user_id="bob", room="lobby", now=NOW).token, now=NOW)
    assert issued == issued and issued.to_dict()["token"] == issued.token
    assert (issued.vendor, issued.version, issued.issued_at) == ("agora", "007", NOW)
    assert issued.expires_at == NOW + rt.DEFAULT_VALIDITY_SECS
    assert issued.renew_at == issued.expires_at - rt.DEFAULT_RENEW_BEFORE_SECS
    as_dict = first.to_dict()
    assert as_dict["vendor"] == "agora" and as_dict["detail"]["format"] == "agora007"
    assert first.detail == as_dict["detail"]


def test_secrets_as_str_or_bytes_are_the_same_key():
    token = rt.ZegoProvider(7, ZEGO_SECRET).issue(user_id="u", room="r").token
    assert rt.ZegoProvider(7, ZEGO_SECRET.encode()).verify(token).user == "u"
    token = rt.AgoraProvider(AGORA_APP_ID, AGORA_CERT.encode()).issue(user_id="u", room="r").token
    assert rt.AgoraProvider(AGORA_APP_ID, AGORA_CERT).verify(token).verification == "verified"


def test_every_request_field_and_kind():
    agora = rt.AgoraProvider.demo()
    issued = agora.issue(
        kind="rtc_rtm", user_id="alice", uid=42, room="lobby", role="audience",
        validity_secs=600, privilege_expiries={"join": 300}, now=NOW,
    )
    parsed = agora.verify(issued.token, now=NOW)
    assert {p.service for p in parsed.privileges} == {"rtc", "rtm"}
    zego = rt.ZegoProvider.demo()
    parsed = zego.verify(zego.issue(user_id="u", room="r", stream_ids=["s1"], now=NOW).token, now=NOW)
    assert '"s1"' in parsed.detail["payload"]


TENCENT_KEY = "f4bb043bf9d7ea80f8b49cceb79c33b5da6610acba1dd1749f389c26ecc78cff"


def test_tencent_usersig_and_private_map_key():
    tencent = rt.TencentProvider(1400000001, TENCENT_KEY, renew_before_secs=60)
    assert (tencent.vendor, tencent.app_id) == ("tencent", "1400000001")
    assert repr(tencent) == "TencentProvider(app_id='1400000001')"
    plain = tencent.issue(user_id="alice", now=NOW, validity_secs=600)
    assert (plain.vendor, plain.version, plain.renew_at) == ("tencent", "usersig", NOW + 540)
    assert rt.detect(plain.token) == ("tencent", "usersig")
    parsed = tencent.verify(plain.token, expect_user="alice", now=NOW)
    assert (parsed.user, parsed.room, parsed.detail["format"]) == ("alice", None, "tencent_usersig")
    # A room makes a PrivateMapKey; `privileges` grants exactly those.
    granted = rt.TencentProvider.privileges_of_map(2 | 8)
    assert granted == ["join_channel", "subscribe_audio"]
    key = tencent.issue(user_id="alice", room="1234", privileges=granted, now=NOW)
    parsed = tencent.verify(key.token, expect_room="1234", require=["subscribe_audio"], now=NOW)
    assert parsed.detail["private_map_key"]["privilege_map"] == 2 | 8
    assert parsed.detail["private_map_key"]["room_id"] == 1234
    with pytest.raises(rt.Mismatch):
        tencent.verify(key.token, require=["publish_audio"], now=NOW)
    with pytest.raises(rt.InvalidInput, match="privilege map"):
        rt.TencentProvider.privileges_of_map(256)
    with pytest.raises(rt.InvalidInput, match="privileges"):
        tencent.issue(user_id="alice", room="lobby", privileges=["rtm_login"])
    with pytest.raises(rt.InvalidInput, match="privileges"):
        tencent.issue(user_id="alice", room="lobby", privileges=["fly"])
    with pytest.raises(rt.InvalidInput, match="uid"):
        tencent.issue(uid=7, room="lobby")


def test_tencent_secret_never_shows_and_a_wrong_key_is_a_signature_error():
    tencent = rt.TencentProvider(1400000001, TENCENT_KEY.encode())
    token = tencent.issue(user_id="alice", room="lobby").token
    other = rt.TencentProvider(1400000001, "0" * 64)
    assert other.inspect(token).verification == "signature_invalid"
    with pytest.raises(rt.Signature) as failed:
        other.verify(token)
    assert failed.value.vendor == "tencent"
    with pytest.raises(rt.Mismatch):
        rt.TencentProvider(1400000002, TENCENT_KEY).verify(token)
    with pytest.raises(rt.InvalidInput):
        rt.TencentProvider(1400000001, "")
    with pytest.raises(rt.InvalidInput, match="sdk_app_id"):
        rt.TencentProvider(0, TENCENT_KEY)
    with pytest.raises(TypeError):
        rt.TencentProvider(1400000001, 1234)
    shown = " ".join([repr(tencent), repr(rt.Providers(tencent)), repr(tencent.verify(token)), str(failed.value)])
    assert TENCENT_KEY not in shown and token not in shown


def test_config_reads_tencent(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("AGORA_", "ZEGO", "TENCENT_", "APP_", "SERVER_SECRET", "RTC_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TENCENT_SDK_APP_ID", "1400000001")
    monkeypatch.setenv("TENCENT_SECRET_KEY", TENCENT_KEY)
    config = rt.Config.from_env()
    assert config.vendors == ["tencent"] and config.default_vendor == "tencent"
    provider = config.providers.get("trtc")
    assert isinstance(provider, rt.TencentProvider)
    token = config.providers.issue(user_id="u", room="r").token
    assert config.providers.verify(token).vendor == "tencent"
    assert TENCENT_KEY not in repr(config)


def test_providers_detect_the_vendor():
    zego, agora, tencent = rt.ZegoProvider.demo(), rt.AgoraProvider.demo(), rt.TencentProvider.demo()
    registry = rt.Providers(zego, agora, tencent, default_vendor="agora")
    assert registry.vendors == ["zego", "agora", "tencent"] and registry.default_vendor == "agora"
    assert registry.get("trtc") is tencent
    assert registry.get("zegocloud") is zego and registry.get("agora") is agora
    assert registry.issue(user_id="u", room="r").vendor == "agora"
    for vendor in ("zego", "agora", "tencent"):
        token = registry.issue(vendor, user_id="u", room="r").token
        assert registry.verify(token, expect_user="u").vendor == vendor
        assert registry.inspect(token).vendor == vendor
        assert rt.detect(token)[0] == vendor
    assert rt.detect("006abc") == ("agora", "006")
    with pytest.raises(rt.Version):
        registry.verify("hello")
    with pytest.raises(rt.InvalidInput, match="no provider is configured"):
        rt.Providers(agora).verify(zego.issue(user_id="u").token)
    with pytest.raises(rt.InvalidInput, match="no default vendor"):
        rt.Providers(zego, agora).issue(user_id="u")
    with pytest.raises(TypeError):
        rt.Providers("agora")


def test_config_from_toml_file_with_secret_files(tmp_path):
    (tmp_path / "zego.secret").write_text(ZEGO_SECRET)
    (tmp_path / "agora.cert").write_text(AGORA_CERT)
    for name in ("zego.secret", "agora.cert"):
        os.chmod(tmp_path / name, stat.S_IRUSR | stat.S_IWUSR)
    path = tmp_path / "rtc.toml"
    path.write_text(
        'default_vendor = "zego"\nrenew_before_secs = 10\n'
        '[zego]\napp_id = 7\nserver_secret_file = "zego.secret"\n'
        f'[agora]\napp_id = "{AGORA_APP_ID}"\napp_certificate_file = "agora.cert"\nversion = "006"\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config = rt.Config.from_toml_file(path)
    assert config.vendors == ["zego", "agora"] and config.default_vendor == "zego"
    assert config.renew_before_secs == 10 and config.warnings == []
    agora = config.providers.get("agora")
    assert isinstance(agora, rt.AgoraProvider) and "version='006'" in repr(agora)
    issued = config.providers.issue(user_id="u", room="r")
    assert issued.vendor == "zego" and issued.renew_at == issued.expires_at - 10
    assert AGORA_CERT not in repr(config) and ZEGO_SECRET not in repr(config)


def test_config_warns_about_a_readable_secret_file(tmp_path):
    secret = tmp_path / "agora.cert"
    secret.write_text(AGORA_CERT)
    os.chmod(secret, 0o644)
    text = f'[agora]\napp_id = "{AGORA_APP_ID}"\napp_certificate_file = "agora.cert"\n'
    with pytest.warns(UserWarning, match="agora.cert"):
        config = rt.Config.from_toml_str(text, base_dir=tmp_path)
    assert len(config.warnings) == 1


def test_config_errors_name_the_setting_not_the_value():
    with pytest.raises(rt.InvalidInput, match="app_id") as failed:
        rt.Config.from_toml_str(f'[agora]\napp_certificate = "{AGORA_CERT}"\n')
    assert AGORA_CERT not in str(failed.value)
    with pytest.raises(rt.InvalidInput, match="no vendor configured"):
        rt.Config.from_toml_str("")


def test_config_from_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("AGORA_", "ZEGO", "TENCENT_", "APP_", "SERVER_SECRET", "RTC_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("APP_ID", AGORA_APP_ID)
    monkeypatch.setenv("APP_CERTIFICATE", AGORA_CERT)
    monkeypatch.setenv("AGORA_TOKEN_VERSION", "006")
    config = rt.Config.from_env()
    assert config.vendors == ["agora"] and config.default_vendor == "agora"
    token = config.providers.issue(user_id="u", room="r").token
    assert token.startswith("006")


def test_stubs_cover_the_module():
    stub = Path(rt.__file__).with_name("__init__.pyi")
    tree = ast.parse(stub.read_text())
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared.add(node.target.id)
    assert set(rt.__all__) <= declared, set(rt.__all__) - declared
    assert Path(rt.__file__).with_name("py.typed").exists()
    native = {n for n in dir(rt._rtc_tokens) if not n.startswith("_")}
    assert native <= set(rt.__all__), native - set(rt.__all__)
