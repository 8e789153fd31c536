"""Hub ids are safe to pass on a command line: never mistaken for an option."""

from givefirst.hub.services.public_ids import LENGTH, new_public_id


def test_public_ids_are_letters_and_digits_and_do_not_repeat() -> None:
    ids = [new_public_id() for _ in range(5000)]
    assert all(len(i) == LENGTH and i.isalnum() and i.isascii() for i in ids)
    assert not any(i.startswith("-") for i in ids)
    assert len(set(ids)) == len(ids)
