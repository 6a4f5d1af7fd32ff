"""Reading a framework file (skills/data/framework-v<N>.toml) and writing it as one FrameworkVersion.

Loading is idempotent: the same version with the same content does nothing; the same version with other
content is refused (copy the file to a new version instead), so rows of a loaded version never change.
Used by ``manage.py load_skills_framework`` and by the data migration (which passes its historical models).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVELS = (1, 2, 3, 4)
MIN_STATEMENTS = {1: 4, 2: 4}  # at least this many statements per domain at these levels


class FrameworkError(ValueError):
    pass


@dataclass(frozen=True)
class Loaded:
    version: int
    created: bool


def framework_files() -> list[Path]:
    return sorted(DATA_DIR.glob("framework-v*.toml"), key=lambda path: int(path.stem.split("-v")[1]))


def read(path: Path) -> tuple[dict, str]:
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise FrameworkError(f"{path.name}: not a readable TOML file ({error})") from error
    check(data, name=path.name)
    return data, hashlib.sha256(raw).hexdigest()


def check(data: dict, *, name: str = "framework") -> None:
    """The file's promises: versioned, four levels, six domains, enough statements, every link https."""
    problems = []
    if not isinstance(data.get("version"), int) or data["version"] < 1:
        problems.append("version must be a whole number of 1 or more")
    if sorted(level.get("number") for level in data.get("levels", [])) != list(LEVELS):
        problems.append("levels must be numbered 1 to 4, once each")
    domains = data.get("domains", [])
    if len({domain.get("key") for domain in domains}) != len(domains) or not domains:
        problems.append("domains need unique keys")
    for domain in domains:
        statements = domain.get("statements", [])
        if len({s.get("key") for s in statements}) != len(statements):
            problems.append(f"{domain.get('key')}: statement keys must be unique")
        for level, least in MIN_STATEMENTS.items():
            if sum(s.get("level") == level for s in statements) < least:
                problems.append(f"{domain.get('key')}: needs at least {least} statements at level {level}")
        if any(s.get("level") not in LEVELS for s in statements):
            problems.append(f"{domain.get('key')}: statement levels must be 1 to 4")
        for resource in domain.get("resources", []):
            if not str(resource.get("url", "")).startswith("https://") or resource.get("level") not in LEVELS:
                problems.append(
                    f"{domain.get('key')}: resource {resource.get('title')!r} needs an https link and a level"
                )
    if problems:
        raise FrameworkError(f"{name}: " + "; ".join(problems))


def framework_load(path: Path, *, models=None) -> Loaded:
    """Write the file at ``path`` as a new FrameworkVersion, unless that version is loaded already."""
    data, content_hash = read(path)
    return load_data(data, content_hash, models=models)


def load_data(data: dict, content_hash: str, *, models=None) -> Loaded:
    if models is None:
        from skills import models as live

        models = SimpleNamespace(**{name: getattr(live, name) for name in _MODEL_NAMES})
    existing = models.FrameworkVersion.objects.filter(version=data["version"]).first()
    if existing is not None:
        if existing.content_hash != content_hash:
            raise FrameworkError(
                f"Version {data['version']} is loaded already with other content. A loaded version never changes: "
                "copy the file to the next version number and load that."
            )
        return Loaded(version=existing.version, created=False)
    with transaction.atomic():
        version = models.FrameworkVersion.objects.create(
            version=data["version"],
            title=data["title"],
            published_on=data["published_on"],
            content_hash=content_hash,
        )
        models.Level.objects.bulk_create(
            models.Level(
                framework_version=version, number=level["number"], name=level["name"], meaning=level["meaning"]
            )
            for level in data["levels"]
        )
        for position, item in enumerate(data["domains"], start=1):
            domain = models.Domain.objects.create(
                framework_version=version,
                key=item["key"],
                position=position,
                title=item["title"],
                summary=item["summary"],
                topics=list(item.get("topics", [])),
            )
            models.Statement.objects.bulk_create(
                models.Statement(domain=domain, key=s["key"], level=s["level"], position=n, text=s["text"])
                for n, s in enumerate(item["statements"], start=1)
            )
            models.Resource.objects.bulk_create(
                models.Resource(
                    domain=domain,
                    level=r["level"],
                    position=n,
                    title=r["title"],
                    provider=r["provider"],
                    url=r["url"],
                )
                for n, r in enumerate(item.get("resources", []), start=1)
            )
    return Loaded(version=version.version, created=True)


_MODEL_NAMES = ("FrameworkVersion", "Level", "Domain", "Statement", "Resource")
