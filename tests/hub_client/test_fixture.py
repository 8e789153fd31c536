"""The hub fixture answers the client: a member's token reads their own profile."""

from __future__ import annotations

import pytest

from givefirst.services.hub_client import HubClient, HubRefused
from tests.hub_client.conftest import ChapterHub


def test_a_token_reads_its_members_profile(chapter_hub: ChapterHub) -> None:
    with HubClient(chapter_hub.url, chapter_hub.token("Dana Member")) as client:
        assert client.me()["name"] == "Dana Member"


def test_a_wrong_token_is_refused_with_a_clear_message(chapter_hub: ChapterHub) -> None:
    with HubClient(chapter_hub.url, "gfh_not-a-token") as client, pytest.raises(HubRefused) as refused:
        client.me()
    assert refused.value.status == 401
    assert "does not accept this token" in str(refused.value)
