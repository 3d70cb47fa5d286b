"""The READMEs' Python examples run as written: the `python -c` line after
`pip install ./bindings/python` and every ```python block, in the root
README's Python section and in bindings/python/README.md."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

DEMO_ENV = {
    "AGORA_APP_ID": "0123456789abcdef0123456789abcdef",
    "AGORA_APP_CERTIFICATE": "fedcba9876543210fedcba9876543210",
    "ZEGO_APP_ID": "1234567890",
    "ZEGO_SERVER_SECRET": "demo0000demo0000demo0000demo0000",
    "TENCENT_SDK_APP_ID": "1400000000",
    "TENCENT_SECRET_KEY": "demo0000demo0000demo0000demo0000demo0000demo0000demo0000demo0000",
}


def python_section(text):
    return text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]


DOCS = {
    "README.md": python_section((ROOT / "README.md").read_text(encoding="utf-8")),
    "bindings/python/README.md": (ROOT / "bindings/python/README.md").read_text(encoding="utf-8"),
}


def snippets():
    for doc, text in DOCS.items():
        for i, block in enumerate(re.findall(r"```python\n(.*?)```", text, re.S)):
            yield pytest.param(block, id=f"{doc}:python-{i}")
        for i, line in enumerate(re.findall(r'^python -c "(.*)"$', text, re.M)):
            yield pytest.param(line, id=f"{doc}:python-c-{i}")


def env():
    clean = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("AGORA_", "ZEGO", "TENCENT_", "APP_", "SERVER_SECRET", "RTC_"))
    }
    return {**clean, **DEMO_ENV}


@pytest.mark.parametrize("code", list(snippets()))
def test_readme_snippet(code, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env(),
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_the_install_line_verifies_a_token_of_each_vendor(tmp_path):
    for doc, text in DOCS.items():
        assert "pip install ./bindings/python\npython -c" in text, doc
        (line,) = re.findall(r'^python -c "(.*)"$', text, re.M)
        out = subprocess.run(
            [sys.executable, "-c", line], cwd=tmp_path, env=env(),
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout
        assert out.splitlines() == ["zego verified", "agora verified", "tencent verified"], doc
