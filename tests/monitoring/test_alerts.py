"""Alert book transitions (raise, lower, clear, acknowledge, escalate) and the webhook sender.

The webhook is tested against a real HTTP server on a local port (``http.server`` in a
thread) that records the JSON it receives and can answer with errors or slowly.
"""

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from postmine.monitoring.alerts import (
    Alert,
    AlertBook,
    AlertEvent,
    Level,
    WebhookSender,
    alert_payload,
    utc,
)

T = datetime(2025, 5, 1, 6, 0, tzinfo=UTC)


def event(action="raise", level=Level.ALERT, at=T, rule="PR-07 velocity", **kw):
    return AlertEvent(action, "PR-07", rule, kw.pop("kind", "tarp"), level, at, **kw)


# -- levels and events ---------------------------------------------------------------------------
def test_levels_are_ordered_and_parsed():
    assert Level.NORMAL < Level.ALERT < Level.ALARM < Level.EMERGENCY
    assert Level.parse("Alarm") is Level.ALARM
    assert Level.parse(3) is Level.EMERGENCY
    assert [lvl.label for lvl in Level] == ["normal", "alert", "alarm", "emergency"]
    for bad in ("amber", 4, True):
        with pytest.raises(ValueError, match="level must be one of"):
            Level.parse(bad)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"action": "explode"}, "action must be one of"),
        ({"kind": "weather"}, "kind must be one of"),
        ({"escalate_after_s": 0.0}, "escalate_after_s must be > 0"),
        ({"value": float("inf")}, "value must be finite"),
        ({"level": "red"}, "level must be one of"),
    ],
)
def test_event_rejects(kw, match):
    with pytest.raises(ValueError, match=match):
        event(**kw)


def test_event_time_is_utc():
    local = datetime(2025, 5, 1, 9, 0, tzinfo=UTC).astimezone()
    assert event(at=local).at.tzinfo is UTC
    assert event(at=datetime(2025, 5, 1, 6)).at == T  # naive is taken as UTC
    with pytest.raises(TypeError, match="must be a datetime"):
        utc("2025-05-01")  # type: ignore[arg-type]


# -- transitions -----------------------------------------------------------------------------------
def test_raise_creates_an_alert_and_repeating_it_changes_nothing():
    book = AlertBook()
    (change,) = book.apply([event(value=6.0, unit="mm/d", message="rate 6 mm/d >= 5")])
    alert = change.alert
    assert change.event.alert_id == alert.alert_id
    assert (alert.level, alert.raised_at, alert.active, alert.acknowledged) == (
        Level.ALERT,
        T,
        True,
        False,
    )
    assert (alert.value, alert.unit) == (6.0, "mm/d")
    assert book.apply([event(at=T + timedelta(minutes=5))]) == []
    assert book.level("PR-07") == Level.ALERT


def test_higher_level_raises_and_resets_the_acknowledgement():
    book = AlertBook()
    (first,) = book.apply([event(escalate_after_s=3600.0)])
    book.acknowledge(first.alert.alert_id, "geotechnician", T + timedelta(minutes=10))
    (up,) = book.apply(
        [event(level=Level.ALARM, at=T + timedelta(hours=1), escalate_after_s=600.0)]
    )
    assert up.event.action == "raise"
    assert up.alert.alert_id == first.alert.alert_id
    assert (up.alert.level, up.alert.peak_level) == (Level.ALARM, Level.ALARM)
    assert up.alert.acknowledged_by is None
    assert up.alert.escalate_at == T + timedelta(hours=1, minutes=10)
    assert up.alert.raised_at == T and up.alert.level_since == T + timedelta(hours=1)


def test_lower_keeps_the_acknowledgement_and_clear_closes():
    book = AlertBook()
    book.apply([event(level=Level.ALARM)])
    alert_id = book.active()[0].alert_id
    book.acknowledge(alert_id, "supervisor", T + timedelta(minutes=1))
    (down,) = book.apply([event("raise", Level.ALERT, T + timedelta(hours=2))])
    assert down.event.action == "lower"  # a raise to a lower level is a lower
    assert down.alert.acknowledged_by == "supervisor"
    assert down.alert.peak_level == Level.ALARM
    (cleared,) = book.apply([event("clear", Level.NORMAL, T + timedelta(hours=3))])
    assert cleared.event.action == "clear"
    assert cleared.alert.cleared_at == T + timedelta(hours=3)
    assert not cleared.alert.active
    assert book.active() == []
    assert book.level("PR-07") == Level.NORMAL
    assert book.get(alert_id).cleared_at == T + timedelta(hours=3)
    assert book.apply([event("clear", Level.NORMAL, T + timedelta(hours=4))]) == []
    (again,) = book.apply([event(at=T + timedelta(hours=5))])
    assert again.alert.alert_id != alert_id  # a new alert


def test_clear_before_the_raise_time_is_clamped():
    book = AlertBook()
    book.apply([event()])
    (cleared,) = book.apply([event("clear", Level.NORMAL, T - timedelta(minutes=1))])
    assert cleared.alert.cleared_at == T


def test_apply_rejects_acknowledge_and_escalate_events():
    with pytest.raises(ValueError, match=r"use AlertBook\.acknowledge"):
        AlertBook().apply([event("acknowledge")])


def test_acknowledge_rules():
    book = AlertBook()
    book.apply([event()])
    alert_id = book.active()[0].alert_id
    with pytest.raises(ValueError, match="by must name who acknowledges"):
        book.acknowledge(alert_id, " ")
    with pytest.raises(KeyError, match="no alert 'nope'"):
        book.acknowledge("nope", "me")
    change = book.acknowledge(alert_id, "me", T + timedelta(minutes=2))
    assert change.event.action == "acknowledge"
    assert change.event.by == "me"
    assert change.alert.acknowledged_at == T + timedelta(minutes=2)
    with pytest.raises(ValueError, match="already acknowledged by me"):
        book.acknowledge(alert_id, "you")
    # acknowledged without a time: now
    book.apply([event(rule="other")])
    other = book.active()[-1] if book.active()[-1].rule == "other" else book.active()[0]
    before = datetime.now(UTC)
    assert book.acknowledge(other.alert_id, "me").alert.acknowledged_at >= before


def test_a_cleared_alert_can_still_be_acknowledged():
    book = AlertBook()
    (raised,) = book.apply([event()])
    book.apply([event("clear", Level.NORMAL, T + timedelta(minutes=5))])
    change = book.acknowledge(raised.alert.alert_id, "me", T + timedelta(hours=1))
    assert change.alert.acknowledged_by == "me" and not change.alert.active


@pytest.mark.parametrize(("minutes", "escalated"), [(59, False), (61, True)])
def test_unacknowledged_alert_escalates_after_its_time(minutes, escalated):
    book = AlertBook()
    book.apply([event(escalate_after_s=3600.0)])
    changes = book.tick(T + timedelta(minutes=minutes))
    assert bool(changes) is escalated
    if escalated:
        (change,) = changes
        assert change.event.action == "escalate"
        assert change.alert.escalated and change.alert.escalated_at == T + timedelta(minutes=61)
        assert "not acknowledged for 3660 s" in change.event.message
        assert book.tick(T + timedelta(hours=5)) == []  # once


def test_acknowledged_alert_does_not_escalate():
    book = AlertBook()
    (raised,) = book.apply([event(escalate_after_s=3600.0)])
    book.acknowledge(raised.alert.alert_id, "me", T + timedelta(minutes=30))
    assert book.tick(T + timedelta(hours=2)) == []


def test_alert_without_escalation_time_never_escalates():
    book = AlertBook()
    book.apply([event()])
    assert book.tick(T + timedelta(days=30)) == []


def test_tarp_level_is_the_highest_active_tarp_alert():
    book = AlertBook()
    book.apply(
        [
            event(level=Level.ALERT, rule="velocity"),
            event(level=Level.ALARM, rule="acceleration"),
            event(level=Level.EMERGENCY, rule="missing", kind="data-quality"),
        ]
    )
    assert book.level("PR-07") == Level.ALARM
    assert [a.rule for a in book.active("PR-07")] == ["missing", "acceleration", "velocity"]
    assert book.active("PZ-01") == []


def test_book_restores_from_stored_alerts():
    active = Alert("a1", "PR-07", "velocity", "tarp", Level.ALARM, Level.ALARM, T, T)
    cleared = Alert("a2", "PR-07", "old", "tarp", Level.ALERT, Level.ALERT, T, T, cleared_at=T)
    book = AlertBook([active, cleared])
    assert book.level("PR-07") == Level.ALARM
    assert book.get("a2").cleared_at == T
    (change,) = book.apply([event("clear", Level.NORMAL, T + timedelta(hours=1), "velocity")])
    assert change.alert.alert_id == "a1"
    with pytest.raises(ValueError, match="two active alerts"):
        AlertBook([active, active])
    with pytest.raises(ValueError, match="keep_cleared must be >= 0"):
        AlertBook(keep_cleared=-1)


def test_book_keeps_a_bounded_number_of_cleared_alerts():
    book = AlertBook(keep_cleared=2)
    ids = []
    for k in range(3):
        (raised,) = book.apply([event(at=T + timedelta(hours=k))])
        ids.append(raised.alert.alert_id)
        book.apply([event("clear", Level.NORMAL, T + timedelta(hours=k, minutes=30))])
    with pytest.raises(KeyError):
        book.get(ids[0])
    assert book.get(ids[2]).alert_id == ids[2]


def test_payload_is_json():
    book = AlertBook()
    (change,) = book.apply([event(value=6.5, unit="mm/d", message="rate 6.5 mm/d")])
    body = json.loads(json.dumps(alert_payload(change)))
    assert body["action"] == "raise"
    assert body["alert"]["level"] == "alert"
    assert body["alert"]["value"] == 6.5 and body["alert"]["unit"] == "mm/d"
    assert body["alert"]["cleared_at"] is None
    assert body["at"] == "2025-05-01T06:00:00+00:00"


# -- webhook ---------------------------------------------------------------------------------------
class Receiver:
    """A local HTTP server that records POSTed JSON and answers as scripted."""

    def __init__(self, statuses=(), delay_s=0.0):
        self.bodies = []
        self.statuses = list(statuses)  # answers to the first requests, then 200
        self.delay_s = delay_s
        self.released = threading.Event()  # a held receiver answers only once released
        self.released.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                receiver.bodies.append((body, self.headers.get("Content-Type"), self.path))
                receiver.released.wait(timeout=60.0)
                time.sleep(receiver.delay_s)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/alerts"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    servers = []

    def make(**kw):
        servers.append(Receiver(**kw))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def test_webhook_posts_json(receiver):
    server = receiver()
    book = AlertBook()
    (change,) = book.apply([event(value=6.0, unit="mm/d")])
    with WebhookSender(server.url, headers={"X-Token": "t"}) as sender:
        assert sender.send(change)
        assert sender.send({"action": "test"})
        assert sender.flush(timeout_s=5.0)
    assert sender.sent == 2 and sender.failed == 0
    (first, content_type, path), (second, _, _) = server.bodies
    assert first == alert_payload(change)
    assert second == {"action": "test"}
    assert (content_type, path) == ("application/json", "/hooks/alerts")


def test_webhook_retries_server_errors(receiver):
    server = receiver(statuses=[500, 503])
    with WebhookSender(server.url, retries=3, backoff_s=0.01) as sender:
        sender.send({"n": 1})
        assert sender.flush(timeout_s=5.0)
    assert (sender.sent, sender.failed, sender.attempts) == (1, 0, 3)


def test_webhook_gives_up_after_the_retries(receiver):
    server = receiver(statuses=[500] * 10)
    reasons = []
    with WebhookSender(
        server.url, retries=2, backoff_s=0.01, on_failure=lambda p, r: reasons.append(r)
    ) as sender:
        sender.send({"n": 1})
        assert sender.flush(timeout_s=5.0)
    assert (sender.sent, sender.failed, sender.attempts) == (0, 1, 3)
    assert sender.failures == [({"n": 1}, "HTTP 500 Internal Server Error")]
    assert reasons == ["HTTP 500 Internal Server Error"]


def test_webhook_does_not_retry_a_client_error(receiver):
    server = receiver(statuses=[400])
    with WebhookSender(server.url, retries=3, backoff_s=0.01) as sender:
        sender.send({"n": 1})
        assert sender.flush(timeout_s=5.0)
    assert (sender.failed, sender.attempts) == (1, 1)


def test_webhook_times_out_and_retries(receiver):
    server = receiver(delay_s=0.5)
    with WebhookSender(server.url, timeout_s=0.1, retries=1, backoff_s=0.0) as sender:
        sender.send({"n": 1})
        assert sender.flush(timeout_s=5.0)
    assert (sender.failed, sender.attempts) == (1, 2)
    assert "timed out" in sender.failures[0][1]


def test_webhook_never_blocks_the_caller(receiver):
    server = receiver()
    server.released.clear()  # the receiver holds the first request until released
    sender = WebhookSender(server.url, timeout_s=60.0)
    for k in range(200):
        assert sender.send({"n": k})
    # all 200 sends returned although not one could be delivered: nothing waited on the receiver
    assert sender.sent == 0
    server.released.set()
    sender.close(timeout_s=30.0)  # sends what is queued, then stops
    assert sender.sent == 200


def test_webhook_drops_when_the_queue_is_full(receiver):
    server = receiver()
    server.released.clear()  # nothing is delivered until released: the queue fills
    sender = WebhookSender(server.url, max_queue=2, timeout_s=60.0)
    results = [sender.send({"n": k}) for k in range(6)]
    assert results[:2] == [True, True] and results.count(False) >= 2
    assert sender.dropped == results.count(False)
    server.released.set()
    sender.close(timeout_s=30.0)
    assert sender.sent == results.count(True)


def test_webhook_to_a_closed_port_fails_with_a_reason():
    sender = WebhookSender("http://127.0.0.1:9/alerts", retries=1, backoff_s=0.0, timeout_s=1.0)
    sender.send({"n": 1})
    sender.close(timeout_s=5.0)
    assert sender.failed == 1
    assert "Connection" in sender.failures[0][1] or "refused" in sender.failures[0][1].lower()
    assert not sender.send({"n": 2})  # closed
    assert sender.dropped == 1


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"url": "ftp://host/x"}, "url must start with http"),
        ({"timeout_s": 0.0}, "timeout_s must be > 0"),
        ({"retries": -1}, "retries must be >= 0"),
        ({"backoff_s": -1.0}, "backoff_s must be >= 0"),
        ({"max_queue": 0}, "max_queue must be >= 1"),
    ],
)
def test_webhook_rejects(kw, match):
    params = {"url": "http://127.0.0.1:9/x"} | kw
    with pytest.raises(ValueError, match=match):
        WebhookSender(**params)
