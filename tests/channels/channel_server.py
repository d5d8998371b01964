"""A small server for the connector tests: this project's chat connectors (REST,
socket.io, web page) mounted by Rasa's own ``register`` on a Sanic app, with an echo bot
in place of Rasa's agent. No model is needed, so it starts in a couple of seconds.

    python -m tests.channels.channel_server --port 5123

The bot answers every message with ``Echo for <sender id>: <text>`` and two buttons, and
keeps each conversation in Rasa's in-memory tracker store (so history works as with
Rasa). ``GET /test/messages`` lists every message the bot received, with its sender id,
input channel and metadata.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from rasa.core.channels.channel import UserMessage, register
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic, response
from sanic_cors import CORS

from actions.identity.config import get_identity_config
from channels.rest import SecureRestInput
from channels.socketio import SecureSocketIOInput
from channels.web import WebInput

BUTTONS = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
# A message the echo bot answers with nothing, as Rasa does when a custom action fails
# (e.g. the action server is restarting).
SILENT = "(stay silent)"


class EchoAgent:
    def __init__(self) -> None:
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.messages: list[dict[str, Any]] = []

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(
            {
                "sender_id": message.sender_id,
                "text": message.text,
                "input_channel": message.input_channel,
                "metadata": message.metadata,
            }
        )
        if message.text == SILENT:
            return
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, metadata=message.metadata))
        text = f"Echo for {message.sender_id}: {message.text}"
        tracker.update(BotUttered(text, {"buttons": BUTTONS}))
        await self.tracker_store.save(tracker)
        await message.output_channel.send_text_with_buttons(message.sender_id, text, BUTTONS)


def make_app() -> Sanic:
    app = Sanic("channel_test_server", configure_logging=False)
    agent = EchoAgent()
    app.ctx.agent = agent
    # As rasa.server.configure_cors does (importing it would load TensorFlow).
    CORS(app, resources={r"/*": {"origins": list(get_identity_config().cors_origins)}})
    channels = [
        SecureRestInput.from_credentials(None),
        SecureSocketIOInput.from_credentials(None),
        WebInput.from_credentials(None),
    ]
    register(channels, app, route="/webhooks/")

    @app.get("/test/messages")
    async def messages(_request):
        return response.json(agent.messages)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    make_app().run(host="127.0.0.1", port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
