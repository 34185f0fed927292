"""The optional LLM engine against a real local HTTP server speaking the chat-completions API."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from confide.drafting import draft
from confide.drafting.llm import LLMConfig, LLMError
from tests.drafting.sessions import SESSION


class _FakeChatServer(ThreadingHTTPServer):
    answer: str = ""
    requests: list[dict[str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: _FakeChatServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if self.path != "/v1/chat/completions":
            self.send_error(404)
            return
        reply = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": self.server.answer}, "finish_reason": "stop"}
            ],
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: a request log would write session text to the test output."""


@pytest.fixture
def chat_server() -> Iterator[_FakeChatServer]:
    server = _FakeChatServer(("127.0.0.1", 0), _Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _config(server: _FakeChatServer) -> LLMConfig:
    host, port = server.server_address[:2]
    return LLMConfig(base_url=f"http://{host!s}:{port}/v1", model="llama-3-8b", api_key="local-key", timeout=5)


MODEL_FACTS = {
    "facts": [
        {"kind": "symptom", "text": "Client reports waking up at 3 and not getting back to sleep.", "evidence": ["u2"]},
        {"kind": "homework", "text": "Client will fill out one thought record each day.", "evidence": ["u13"]},
        # invented: nothing in u3 says so
        {"kind": "observation", "text": "Client appeared well groomed with euthymic affect.", "evidence": ["u3"]},
        # cites an utterance that does not exist
        {"kind": "plan", "text": "Client will see a psychiatrist.", "evidence": ["u99"]},
        # risk from the model is never used; polarity comes from the rules
        {"kind": "risk", "text": "Client endorsed suicidal ideation.", "evidence": ["u6"]},
        {
            "kind": "private",
            "text": "Client described texting an ex and fighting with his wife all weekend.",
            "evidence": ["u10"],
            "private": True,
        },
        {"kind": "symptom", "text": 42, "evidence": "u2"},
    ]
}


def test_llm_facts_pass_the_same_grounding_check(chat_server: _FakeChatServer) -> None:
    chat_server.answer = "Here you go:\n```json\n" + json.dumps(MODEL_FACTS) + "\n```"
    result = draft(SESSION, "vtt", "SOAP", llm=_config(chat_server))
    assert result.engine == "confide-llm"
    subjective = [s.text for s in result.sections["subjective"]]
    assert "Client reports waking up at 3 and not getting back to sleep." in subjective
    assert "Client will fill out one thought record each day." in [s.text for s in result.sections["plan"]]
    dropped = {d.text: d.reason for d in result.dropped}
    assert "is not supported" in dropped["Client appeared well groomed with euthymic affect."]
    assert "u99" in dropped["Client will see a psychiatrist."]
    assert dropped["Client endorsed suicidal ideation."] == "risk comes from the rule engine"
    assert any(d.reason == "malformed fact" for d in result.dropped)
    assessment = [s.text for s in result.sections["assessment"]]
    assert "Client denied suicidal ideation." in assessment
    assert "Client endorsed suicidal ideation." not in assessment
    private = [s.text for s in result.private_draft]
    assert "Client described texting an ex and fighting with his wife all weekend." in private
    # the rule engine's risk detail is still there: risk never depends on the model
    assert any("My brother tried to kill himself" in t for t in private)


def test_llm_request_is_a_chat_completion_with_utterance_ids(chat_server: _FakeChatServer) -> None:
    chat_server.answer = json.dumps({"facts": []})
    draft(SESSION, "vtt", llm=_config(chat_server))
    (request,) = chat_server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer local-key"
    body = request["body"]
    assert body["model"] == "llama-3-8b"
    assert body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "u6 [client] Sam: No." in body["messages"][1]["content"]


def test_llm_garbage_answer_is_an_llm_error(chat_server: _FakeChatServer) -> None:
    chat_server.answer = "I cannot help with that."
    with pytest.raises(LLMError, match="no JSON"):
        draft(SESSION, "vtt", llm=_config(chat_server))


def test_unreachable_endpoint_is_an_llm_error() -> None:
    with pytest.raises(LLMError, match="failed"):
        draft(SESSION, "vtt", llm=LLMConfig(base_url="http://127.0.0.1:9/v1", model="m", timeout=2))


def test_cli_uses_the_llm_engine(
    chat_server: _FakeChatServer, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from confide.drafting.cli import main

    chat_server.answer = json.dumps(MODEL_FACTS)
    path = tmp_path / "s.vtt"
    path.write_text(SESSION)
    host, port = chat_server.server_address[:2]
    assert main([str(path), "--json", "--llm-url", f"http://{host!s}:{port}/v1", "--llm-model", "m"]) == 0
    assert json.loads(capsys.readouterr().out)["engine"] == "confide-llm"
