"""Every implemented Web API method, called with the real slack_sdk WebClient."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import Sandbox, SandboxClock, User, Workspace


def test_auth_test_identifies_the_bot(bot: WebClient, workspace: Workspace) -> None:
    reply = bot.auth_test()
    assert reply["team_id"] == workspace.team_id
    assert reply["user_id"] == workspace.bot_user_id
    assert reply["bot_id"] == workspace.bot_id
    assert reply["url"] == "https://mercy-residency.slack.com/"


def test_auth_test_reports_the_enterprise_on_grid(sandbox: Sandbox) -> None:
    grid = sandbox.add_workspace("T0GRID001", "Grid Hospital", enterprise_id="E0GRID")
    reply = WebClient(token=grid.bot_token, base_url=sandbox.api_url).auth_test()
    assert reply["enterprise_id"] == "E0GRID"


def test_users_info_computes_the_offset_for_the_sandbox_time(
    bot: WebClient, alice: User, clock: SandboxClock
) -> None:
    winter = bot.users_info(user=alice.id)["user"]
    assert (winter["tz"], winter["tz_offset"], winter["tz_label"]) == (
        "America/Chicago",
        -6 * 3600,
        "Central Standard Time",
    )
    clock.set(datetime(2025, 7, 1, 12, 0, tzinfo=UTC))
    summer = bot.users_info(user=alice.id)["user"]
    assert (summer["tz_offset"], summer["tz_label"]) == (-5 * 3600, "Central Daylight Time")
    assert summer["profile"]["real_name"] == "Alice Adeyemi"


def test_users_info_unknown_user(bot: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.users_info(user="U999NOPE")
    assert raised.value.response["error"] == "user_not_found"


def test_users_list_paginates_with_cursors(bot: WebClient, sandbox: Sandbox, workspace: Workspace) -> None:
    for n in range(5):
        sandbox.add_user(workspace.team_id, f"resident{n}")
    pages = [[m["id"] for m in page["members"]] for page in bot.users_list(limit=2)]
    members = [member for page in pages for member in page]
    assert [len(page) for page in pages] == [2, 2, 2]
    assert len(set(members)) == 6


def test_users_of_another_workspace_are_not_visible(bot: WebClient, sandbox: Sandbox) -> None:
    other = sandbox.add_workspace("T0OTHER01", "Other")
    stranger = sandbox.add_user(other.team_id, "stranger")
    with pytest.raises(SlackApiError) as raised:
        bot.users_info(user=stranger.id)
    assert raised.value.response["error"] == "user_not_found"


def test_conversations_open_gives_one_im_per_pair(bot: WebClient, alice: User) -> None:
    first = bot.conversations_open(users=alice.id)
    second = bot.conversations_open(users=alice.id, return_im=True)
    assert first["channel"]["id"].startswith("D")
    assert second["channel"]["id"] == first["channel"]["id"]
    assert second["already_open"] is True
    assert second["channel"]["is_im"] is True and second["channel"]["user"] == alice.id


def test_conversations_open_group_dm_is_stable_for_the_same_members(
    bot: WebClient, alice: User, bob: User, workspace: Workspace
) -> None:
    group = bot.conversations_open(users=f"{alice.id},{bob.id}")["channel"]
    again = bot.conversations_open(users=f"{bob.id},{alice.id}")["channel"]
    assert group["id"] == again["id"]
    assert group["is_mpim"] is True and group["id"][0] in "CG"
    members = bot.conversations_members(channel=group["id"])["members"]
    assert set(members) == {alice.id, bob.id, workspace.bot_user_id}


def test_conversations_open_needs_users(bot: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.api_call("conversations.open", params={})
    assert raised.value.response["error"] == "users_list_not_supplied"


def test_conversations_info_for_channels_and_privacy(
    bot: WebClient, sandbox: Sandbox, workspace: Workspace, alice: User
) -> None:
    public = sandbox.add_channel(workspace.team_id, "residents", members=[alice.id])
    hidden = sandbox.add_channel(workspace.team_id, "faculty", is_private=True, bot_member=False)
    info = bot.conversations_info(channel=public.id)["channel"]
    assert (info["name"], info["is_channel"], info["is_private"], info["is_member"]) == (
        "residents",
        True,
        False,
        True,
    )
    with pytest.raises(SlackApiError) as raised:
        bot.conversations_info(channel=hidden.id)
    assert raised.value.response["error"] == "channel_not_found"


def test_post_message_to_a_user_id_lands_in_their_dm(bot: WebClient, sandbox: Sandbox, alice: User) -> None:
    reply = bot.chat_postMessage(channel=alice.id, text="Welcome to Mentor Circles")
    dm = bot.conversations_open(users=alice.id)["channel"]["id"]
    assert reply["channel"] == dm
    assert [m.text for m in sandbox.state.dms_to(alice.team_id, alice.id)] == ["Welcome to Mentor Circles"]
    assert reply["message"]["bot_id"] and reply["message"]["ts"] == reply["ts"]


def test_post_message_in_threads_and_timestamps_increase(
    bot: WebClient, sandbox: Sandbox, workspace: Workspace, alice: User
) -> None:
    channel = sandbox.add_channel(workspace.team_id, "residents", members=[alice.id])
    parent = bot.chat_postMessage(channel=channel.id, text="Circle sign-ups are open")
    reply = bot.chat_postMessage(channel=channel.id, text="Two spots left", thread_ts=parent["ts"])
    assert float(reply["ts"]) > float(parent["ts"])
    stored = sandbox.state.messages(channel.id)
    assert [(m.text, m.thread_ts) for m in stored] == [
        ("Circle sign-ups are open", None),
        ("Two spots left", parent["ts"]),
    ]


@pytest.mark.parametrize(
    ("channel", "error"),
    [("C0NOSUCH01", "channel_not_found"), ("U0NOSUCH01", "user_not_found")],
)
def test_post_message_to_unknown_targets(bot: WebClient, channel: str, error: str) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.chat_postMessage(channel=channel, text="hello")
    assert raised.value.response["error"] == error


def test_post_message_requires_membership_in_a_public_channel(
    bot: WebClient, sandbox: Sandbox, workspace: Workspace
) -> None:
    channel = sandbox.add_channel(workspace.team_id, "general", bot_member=False)
    with pytest.raises(SlackApiError) as raised:
        bot.chat_postMessage(channel=channel.id, text="hello")
    assert raised.value.response["error"] == "not_in_channel"


def test_post_message_without_content_is_no_text(bot: WebClient, alice: User) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.api_call("chat.postMessage", json={"channel": alice.id})
    assert raised.value.response["error"] == "no_text"


def test_ephemeral_goes_only_to_that_user(
    bot: WebClient, sandbox: Sandbox, workspace: Workspace, alice: User, bob: User
) -> None:
    channel = sandbox.add_channel(workspace.team_id, "residents", members=[alice.id])
    reply = bot.chat_postEphemeral(channel=channel.id, user=alice.id, text="Only you can see this")
    assert reply["message_ts"]
    assert [e.text for e in sandbox.state.ephemerals_for(workspace.team_id, alice.id)] == [
        "Only you can see this"
    ]
    assert sandbox.state.messages(channel.id) == []
    with pytest.raises(SlackApiError) as raised:
        bot.chat_postEphemeral(channel=channel.id, user=bob.id, text="Not a member")
    assert raised.value.response["error"] == "user_not_in_channel"


def test_update_and_delete_a_message(bot: WebClient, sandbox: Sandbox, alice: User) -> None:
    posted = bot.chat_postMessage(channel=alice.id, text="Meeting at 3")
    updated = bot.chat_update(channel=posted["channel"], ts=posted["ts"], text="Meeting at 4")
    assert updated["text"] == "Meeting at 4"
    assert [m.text for m in sandbox.state.messages(posted["channel"])] == ["Meeting at 4"]
    bot.chat_delete(channel=posted["channel"], ts=posted["ts"])
    assert sandbox.state.messages(posted["channel"]) == []
    with pytest.raises(SlackApiError) as raised:
        bot.chat_delete(channel=posted["channel"], ts=posted["ts"])
    assert raised.value.response["error"] == "message_not_found"


def test_files_upload_v2_round_trip(bot: WebClient, sandbox: Sandbox, alice: User) -> None:
    dm = bot.conversations_open(users=alice.id)["channel"]["id"]
    content = b"member,goal\nalice,Publish a case report\n"
    reply = bot.files_upload_v2(
        channel=dm, content=content, filename="export.csv", title="Your data", initial_comment="Here it is"
    )
    assert reply["file"]["name"] == "export.csv"
    [stored] = sandbox.state.uploaded_files()
    assert stored.content == content and stored.title == "Your data" and stored.channels == [dm]
    [message] = sandbox.state.messages(dm)
    assert message.text == "Here it is" and message.files and message.files[0]["id"] == stored.id
    methods = [c.method for c in sandbox.calls()]
    assert methods[-2:] == ["files.getUploadURLExternal", "files.completeUploadExternal"]
    assert sandbox.calls("files.completeUploadExternal")[0].args["files"][0]["id"] == stored.id


def test_complete_upload_of_a_file_never_sent(bot: WebClient, alice: User) -> None:
    reserved = bot.files_getUploadURLExternal(filename="x.txt", length=3)
    with pytest.raises(SlackApiError) as raised:
        bot.files_completeUploadExternal(files=[{"id": reserved["file_id"]}])
    assert raised.value.response["error"] == "file_not_found"


def test_oauth_v2_access_exchanges_a_code_once(sandbox: Sandbox, workspace: Workspace, alice: User) -> None:
    client = WebClient(base_url=sandbox.api_url)
    code = sandbox.issue_oauth_code(workspace.team_id, alice.id)
    reply = client.oauth_v2_access(
        client_id=sandbox.client_id, client_secret=sandbox.client_secret, code=code
    )
    assert reply["access_token"] == workspace.bot_token
    assert reply["token_type"] == "bot"
    assert reply["bot_user_id"] == workspace.bot_user_id
    assert reply["team"] == {"id": workspace.team_id, "name": "Mercy Residency"}
    assert reply["authed_user"]["id"] == alice.id
    assert reply["enterprise"] is None and "chat:write" in reply["scope"].split(",")
    with pytest.raises(SlackApiError) as raised:
        client.oauth_v2_access(client_id=sandbox.client_id, client_secret=sandbox.client_secret, code=code)
    assert raised.value.response["error"] == "invalid_code"


def test_oauth_v2_access_checks_the_client(sandbox: Sandbox, workspace: Workspace) -> None:
    client = WebClient(base_url=sandbox.api_url)
    code = sandbox.issue_oauth_code(workspace.team_id)
    with pytest.raises(SlackApiError) as raised:
        client.oauth_v2_access(client_id=sandbox.client_id, client_secret="wrong", code=code)
    assert raised.value.response["error"] == "bad_client_secret"


def test_apps_connections_open_needs_an_app_token(sandbox: Sandbox, bot: WebClient) -> None:
    reply = WebClient(base_url=sandbox.api_url).apps_connections_open(app_token=sandbox.app_token)
    assert reply["url"].startswith("ws://127.0.0.1:")
    with pytest.raises(SlackApiError) as raised:
        bot.apps_connections_open(app_token=bot.token or "")
    assert raised.value.response["error"] == "not_allowed_token_type"
