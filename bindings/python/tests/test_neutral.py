"""The neutral cross-vendor suite (tests/neutral), run through the Python API:
each case's request is issued by every provider (ZEGO, Agora 007, Agora 006,
Tencent, on their demo credentials) at the case's `now` and verified, or refused with
the expected kind, as the Rust runner (tests/src/neutral.rs) does."""

import pytest

import rtc_tokens as rt

from conftest import suite_files

TARGETS = {
    "zego": rt.ZegoProvider.demo,
    "agora007": rt.AgoraProvider.demo,
    "agora006": lambda: rt.AgoraProvider.demo(version="006"),
    "tencent": rt.TencentProvider.demo,
}

CASES = [
    pytest.param(case, target, suite["now"], id=f"{case['name']}/{target}")
    for _, suite in suite_files("tests/neutral")
    if suite.get("schema") == "neutral-requests"
    for case in suite["cases"]
    for target in TARGETS
]


def error_class(kind):
    return getattr(rt, "".join(word.title() for word in kind.split("_")))


@pytest.mark.parametrize(("case", "target", "suite_now"), CASES)
def test_neutral(case, target, suite_now):
    provider = TARGETS[target]()
    now = case.get("now", suite_now)
    expected = case[target]
    if "refused" in expected:
        with pytest.raises(error_class(expected["refused"])) as refused:
            provider.issue(now=now, **case["request"])
        assert refused.value.kind == expected["refused"]
        return
    issued = provider.issue(now=now, **case["request"])
    verify_with = expected.get("verify_with") or {}
    expect = {"expect_room": verify_with.get("channel"), "expect_user": verify_with.get("uid")}
    parsed = provider.verify(issued.token, now=now, **expect)
    assert issued.version == parsed.version == expected["version"]
    assert (parsed.user, parsed.room) == (expected.get("user"), expected.get("room"))
    assert parsed.expires_at - now == expected["expires_in"]
    assert issued.expires_at == parsed.expires_at
    assert issued.issued_at == now and parsed.issued_at in (None, now)
    privileges = {
        f"{p.service}: {p.name}": None if p.expires_at is None else p.expires_at - now
        for p in parsed.privileges
    }
    assert privileges == expected["privileges"]
    # Valid one second before its expiry, expired at it.
    provider.verify(issued.token, now=parsed.expires_at - 1, require=[], **expect)
    with pytest.raises(rt.Expired):
        provider.verify(issued.token, now=parsed.expires_at, require=[], **expect)


def test_the_neutral_suite_was_found():
    assert len(CASES) >= 4 * 30
