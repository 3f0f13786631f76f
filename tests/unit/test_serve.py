"""The checks in front of `tui serve`, as plain logic (the served app and the browser: tests/app/test_browser.py)."""

from __future__ import annotations

import ipaddress

import pytest

from tui.errors import BadInput
from tui.serve import Address, Guard, check_address

TOKEN = "s3cret-token_0123456789abcdefghijklmnopqrstu"


class TestCheckAddress:
    @pytest.mark.parametrize(
        ("host", "port"),
        [
            ("127.0.0.1", 0),
            ("127.0.0.1", 65536),
            ("127.0.0.1", -1),
            ("", 8000),
            (" 127.0.0.1", 8000),
            ("no-such-host.invalid", 8000),
            ("not a host", 8000),
            ("a\x00b", 8000),
            ("x" * 300, 8000),
        ],
    )
    def test_a_bad_address_is_bad_input(self, host: str, port: int) -> None:
        with pytest.raises(BadInput) as error:
            check_address(host, port)
        assert error.value.exit_code == 2
        assert "\n" not in str(error.value) and "\x00" not in str(error.value)

    def test_loopback(self) -> None:
        for host in ("127.0.0.1", "localhost", "::1"):
            address = check_address(host, 8000)
            assert address.loopback and not address.wildcard, host
        assert check_address("::1", 8000).url(TOKEN) == f"http://[::1]:8000/{TOKEN}/"
        assert check_address("localhost", 8000).url(TOKEN) == f"http://localhost:8000/{TOKEN}/"

    def test_every_address_is_not_loopback_and_its_url_is_the_local_one(self) -> None:
        address = check_address("0.0.0.0", 8000)
        assert address.wildcard and not address.loopback
        assert address.url(TOKEN) == f"http://127.0.0.1:8000/{TOKEN}/"


def bound(host: str) -> Address:
    return check_address(host, 8000)


class TestHostHeader:
    @pytest.mark.parametrize("header", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000"])
    def test_loopback_names_are_accepted_on_a_loopback_bind(self, header: str) -> None:
        assert bound("127.0.0.1").allows_host(header)

    @pytest.mark.parametrize(
        "header",
        [
            None,
            "",
            "evil.example:8000",
            "evil.example",
            "127.0.0.1",
            "127.0.0.1:8001",
            "127.0.0.1:08000x",
            "127.0.0.1.nip.io:8000",
            "localhost.evil.example:8000",
            "user@127.0.0.1:8000",
            "127.0.0.1:8000/x",
            " 127.0.0.1:8000",
            "[::1]:8000",
            "[localhost]:8000",
            "192.168.1.5:8000",
            "127.0.0.2:8000",
            "127.0.0.1:8000\r\nX: y",
        ],
    )
    def test_anything_else_is_refused_on_a_loopback_bind(self, header: str | None) -> None:
        assert not bound("127.0.0.1").allows_host(header)

    def test_ipv6_loopback(self) -> None:
        assert bound("::1").allows_host("[::1]:8000")
        assert bound("::1").allows_host("localhost:8000")
        assert not bound("::1").allows_host("[::2]:8000")

    def test_every_address_takes_any_address_and_the_machine_name_but_no_other_name(self) -> None:
        address = bound("0.0.0.0")
        for header in ("127.0.0.1:8000", "192.168.1.5:8000", "[fe80::1]:8000", "localhost:8000", f"{address.machine}:8000"):
            assert address.allows_host(header), header
        for header in ("evil.example:8000", "192.168.1.5:8001", "192.168.1.5"):
            assert not address.allows_host(header), header

    def test_one_network_address_takes_only_itself(self) -> None:
        address = Address("192.168.1.5", 8000, (ipaddress.ip_address("192.168.1.5"),))
        assert not address.loopback and not address.wildcard
        assert address.allows_host("192.168.1.5:8000")
        for header in ("localhost:8000", "127.0.0.1:8000", f"{address.machine}:8000", "evil.example:8000"):
            assert not address.allows_host(header), header

    def test_port_80_may_be_left_out(self) -> None:
        address = Address("127.0.0.1", 80, bound("127.0.0.1").ips)
        assert address.allows_host("127.0.0.1") and address.allows_host("127.0.0.1:80")
        assert not address.allows_host("127.0.0.1:8000")


class TestGuard:
    guard = Guard(bound("127.0.0.1"), token=TOKEN)

    def test_the_real_page_passes(self) -> None:
        assert self.guard.refusal("127.0.0.1:8000", None, TOKEN) is None
        assert self.guard.refusal("127.0.0.1:8000", "http://127.0.0.1:8000", TOKEN) is None
        assert self.guard.refusal("localhost:8000", "http://localhost:8000", TOKEN) is None
        assert self.guard.refusal("127.0.0.1:8000", "http://127.0.0.1:8000", None) is None  # a public route

    @pytest.mark.parametrize("given", ["", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "é" * 43, " " + TOKEN])
    def test_a_wrong_token_is_refused(self, given: str) -> None:
        assert "secret" in (self.guard.refusal("127.0.0.1:8000", "http://127.0.0.1:8000", given) or "")

    @pytest.mark.parametrize(
        "origin", ["http://evil.example", "http://127.0.0.1:9999", "http://localhost:8000", "https://127.0.0.1:8000", "null", ""]
    )
    def test_another_origin_is_refused_even_with_the_token(self, origin: str) -> None:
        assert "another site" in (self.guard.refusal("127.0.0.1:8000", origin, TOKEN) or "")
        assert self.guard.refusal("127.0.0.1:8000", origin, None) is not None  # public routes too

    def test_a_foreign_host_is_refused_even_with_its_own_origin_and_the_token(self) -> None:
        assert "Host" in (self.guard.refusal("evil.example:8000", "http://evil.example:8000", TOKEN) or "")

    def test_each_guard_has_its_own_long_token(self) -> None:
        tokens = {Guard(bound("127.0.0.1")).token for _ in range(20)}
        assert len(tokens) == 20 and min(map(len, tokens)) >= 43
        assert TOKEN not in repr(self.guard)
