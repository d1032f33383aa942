"""Fixtures of the monitoring tests: both database backends, a site with channels, the broker.

``db_url`` (and the fixtures it needs) come from ``tests/registry/conftest.py``, loaded by
path, so every store and ingestion test runs on SQLite and PostgreSQL alike (PostgreSQL
tests carry the ``postgis`` marker, skip locally without a server and fail under ``$CI``).

``site``
    ``db_url`` with a site, a piezometer ``PZ-01`` (pore pressure in kPa, reported in bar;
    temperature) and a prism ``PR-07`` (displacement in mm) on an object: a :class:`Site`.
``broker``
    ``(host, port)`` of the Mosquitto broker at 127.0.0.1:1883 (``$POSTMINE_TEST_MQTT`` as
    ``host:port`` to change it); MQTT tests skip locally when it is down and FAIL when
    ``$CI`` is set.
``mqtt_names``
    A topic prefix and client ids unique to the test, so tests never see each other's
    messages on the shared broker; the persistent sessions they leave are removed after the
    test.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

import postmine.monitoring.models  # noqa: F401  (registers the monitoring tables)
from postmine.db import session_scope
from postmine.monitoring.channels import add_channel, add_sensor
from postmine.registry.records.objects import insert_object
from postmine.registry.records.sites import insert_site

_REGISTRY_CONFTEST = Path(__file__).resolve().parents[1] / "registry" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_postmine_registry_fixtures", _REGISTRY_CONFTEST)
assert _spec is not None and _spec.loader is not None
if _spec.name in sys.modules:  # loaded already by another suite's conftest
    _registry_fixtures = sys.modules[_spec.name]
else:
    _registry_fixtures = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = _registry_fixtures
    _spec.loader.exec_module(_registry_fixtures)

_pg_admin = _registry_fixtures._pg_admin
_pg_module_db = _registry_fixtures._pg_module_db
db_url = _registry_fixtures.db_url
empty_db_url = _registry_fixtures.empty_db_url

BROKER = os.environ.get("POSTMINE_TEST_MQTT", "127.0.0.1:1883")


@dataclass
class Site:
    """A registry with one site and its monitoring channels (ids by name)."""

    url: str
    site_id: int
    object_id: int
    channels: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def site(db_url: str) -> Site:
    """A site with a piezometer (pore pressure, temperature) and a prism (displacement)."""
    with session_scope(db_url) as session:
        row = insert_site(session, name="Abaza", region="Khakassia")
        dump = insert_object(
            session,
            site_id=row.id,
            kind="external-dump",
            name="Dump 1",
            area_ha=12.0,
            state="disturbed",
        )
        pz = add_sensor(
            session,
            site_id=row.id,
            code="PZ-01",
            type="piezometer",
            expected_interval_s=600,
            object_id=dump.id,
            calibrated_on=date(2026, 1, 10),
            calibration_due_on=date(2027, 1, 10),
        )
        prism = add_sensor(
            session, site_id=row.id, code="PR-07", type="prism", expected_interval_s=3600
        )
        channels = {
            "pore_pressure": add_channel(
                session, pz, name="pore_pressure", quantity="pore_pressure", source_unit="bar"
            ).id,
            "temperature": add_channel(session, pz, name="temperature", quantity="temperature").id,
            "displacement": add_channel(
                session, prism, name="displacement", quantity="displacement"
            ).id,
        }
    return Site(url=db_url, site_id=row.id, object_id=dump.id, channels=channels)


def _broker_address() -> tuple[str, int]:
    host, _, port = BROKER.rpartition(":")
    return host, int(port)


@pytest.fixture(scope="session")
def broker() -> tuple[str, int]:
    """``(host, port)`` of a reachable MQTT broker."""
    host, port = _broker_address()
    try:
        with socket.create_connection((host, port), timeout=2):
            pass
    except OSError as exc:
        message = f"MQTT broker unavailable at {host}:{port}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(
                f"{message} (CI requires it: mosquitto -d -c /etc/mosquitto/mosquitto.conf)"
            )
        pytest.skip(message)
    return host, port


@dataclass
class MqttNames:
    """Names unique to one test: a topic prefix and client ids (sessions removed after)."""

    prefix: str
    _ids: list[tuple[str, str]] = field(default_factory=list)

    def client_id(self, role: str, protocol: str = "5") -> str:
        """A client id for ``role``; its persistent session is removed after the test."""
        name = f"{self.prefix}-{role}"
        self._ids.append((name, protocol))
        return name


def remove_session(host: str, port: int, client_id: str, protocol: str = "5") -> None:
    """Remove a client's persistent session: connect it with a clean start and leave."""
    v5 = protocol == "5"
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=None if v5 else True,
        protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
    )
    try:
        if v5:
            client.connect(host, port, clean_start=True)
        else:
            client.connect(host, port)
        client.loop_start()
        client.disconnect()
        client.loop_stop()
    except OSError:
        pass  # the broker is gone: so is the session, unless it persisted it


@pytest.fixture
def mqtt_names(broker: tuple[str, int]) -> Iterator[MqttNames]:
    """Unique topic prefix and client ids for the test."""
    names = MqttNames(prefix=f"pmtest{uuid.uuid4().hex[:10]}")
    yield names
    for client_id, protocol in names._ids:
        remove_session(*broker, client_id, protocol)
