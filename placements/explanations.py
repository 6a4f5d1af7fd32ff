"""Turn a run's recorded result for one student into plain English they can understand."""

from placements.matching.eligibility import DATES_OUTSIDE_AVAILABILITY, MISSING_VACCINATIONS, NEEDS_DBS, TOO_YOUNG
from placements.models import Cohort, MatchResult, RoutedPreference
from placements.workflow import Status

NOT_YET = "You have not been matched yet. You stay in every run until the round ends."
ROUND_ENDED = "The round ended before you could be matched to a placement."
RELEASED = "You were matched to your {ordinal} choice, but that match was released. You are in the next run."
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
RULES = {
    TOO_YOUNG: "you are not old enough for it on the first day",
    NEEDS_DBS: "it needs a DBS check",
    MISSING_VACCINATIONS: "it needs vaccinations you have not confirmed",
    DATES_OUTSIDE_AVAILABILITY: "its dates are outside the dates you gave",
}


def ordinal(n: int) -> str:
    return ORDINALS[n - 1] if 0 < n <= len(ORDINALS) else f"number {n}"


def in_line(position: int) -> str:
    return "next in line" if position == 1 else f"number {position} in line"


def _ranks(result: MatchResult) -> dict[int, int]:
    """Cohort -> its number in the list the student is shown ("Placements you will be considered for").

    The run numbers only the entries it could use: a cohort the host already declined, or one the student is
    too young for, is left out, so the run's "second" can be the student's third. Say the student's number.
    """
    return dict(RoutedPreference.objects.filter(application_id=result.application_id).values_list("cohort_id", "rank"))


def explain_result(result: MatchResult) -> list[str]:
    """Sentences, best choice first, ending with what they got."""
    cohorts = Cohort.objects.select_related("opportunity").in_bulk(
        [e["cohort"] for e in result.explanations] + ([result.cohort_id] if result.cohort_id else [])
    )
    ranks = _ranks(result)
    sentences = []
    for entry in result.explanations:
        cohort = cohorts.get(entry["cohort"])
        name = f"{cohort.opportunity.title} ({cohort.start_date:%-d %B %Y})" if cohort else "a placement"
        choice = f"Your {ordinal(ranks.get(entry['cohort'], entry['rank']))} choice, {name},"
        if entry["reason"] == "cutoff_above":
            sentence = f"{choice} was full: places went to applicants with a higher priority."
            if entry.get("waitlist"):
                sentence += f" You are {in_line(entry['waitlist'])} if a place comes free."
        elif entry["reason"] == "no_places":
            sentence = f"{choice} had no places left."
        else:
            sentence = f"{choice} was not possible because {RULES.get(entry.get('rule'), 'you are not eligible')}."
        sentences.append(sentence)
    status = result.application.status
    if result.cohort_id and result.rank and status == Status.READY_FOR_MATCHING:
        # Matched in that run, then the host declined or did not reply: the student is back in the pool.
        sentences.append(RELEASED.format(ordinal=ordinal(ranks.get(result.cohort_id, result.rank))))
    elif result.cohort_id and result.rank:
        sentences.append(f"You were matched to your {ordinal(ranks.get(result.cohort_id, result.rank))} choice.")
    elif not result.cohort_id and status == Status.UNSUCCESSFUL:
        sentences.append(ROUND_ENDED)
    elif not result.cohort_id:
        sentences.append(NOT_YET)
    return sentences


STAY_IN = "you stay in the next runs"


def match_lost(reason: str | None, rule: str | None = None) -> str:
    """Why a run took away a provisional match, from the run's own explanation of that cohort for the student.

    Only ``cutoff_above`` means someone with a higher priority took the place; a cohort whose places were cut,
    or whose dates moved outside the student's, lost the match for a reason of its own.
    """
    if reason == "cutoff_above":
        return f"Your match went to an applicant with a higher priority; {STAY_IN}"
    if reason == "no_places":
        return f"The placement you were matched to has no places left now; {STAY_IN}"
    if reason == "not_eligible":
        because = RULES.get(rule or "", "you are no longer eligible for it")
        return f"You can no longer be matched to that placement because {because}; {STAY_IN}"
    return f"Your match was released; {STAY_IN}"


def match_moved(*, up: bool | None, reason: str | None = None, rule: str | None = None) -> str:
    """Why a run moved a provisional match to another of the student's choices: up when a place came free, down
    for the reason the old one was lost (``up`` None: the old one is no longer on their list)."""
    if up:
        return "Moved up to a higher choice"
    if up is None:
        return "Your match was released; you were matched to another of your choices instead"
    return match_lost(reason, rule).replace(STAY_IN, "you were matched to a lower choice instead")


def latest_result(application) -> MatchResult | None:
    return (
        MatchResult.objects.filter(application=application, run__dry_run=False, run__status="succeeded")
        .order_by("-run__created_at", "-pk")
        .first()
    )
