"""Shared vocabularies (roles, career stages, specialties, tracks, mentoring domains, meeting frequencies).

Ids are what the database stores and what the matching and members features exchange; labels are what
people see. Labels are written for the middle of a sentence ("internal medicine", "teaching"); use
`sentence_case` where one starts a line or fills a menu. `SPECIALTIES` is the exception: its labels are
menu labels, and `specialty_label` gives the in-sentence form.
"""

from __future__ import annotations

from bot.domain.text import join_labels as join_labels  # re-exported: it lives with the other words

ROLES: tuple[str, ...] = ("mentee", "mentor", "peer")

ROLE_LABELS: dict[str, str] = {
    "mentee": "mentee",
    "mentor": "mentor",
    "peer": "peer",
}

STAGES: tuple[str, ...] = (
    "medical-student",
    "PGY-1",
    "PGY-2",
    "PGY-3",
    "PGY-4",
    "PGY-5",
    "PGY-6",
    "PGY-7",
    "fellow",
    "early-career-attending",
    "faculty",
    "private-practice",
)

STAGE_LABELS: dict[str, str] = {
    "medical-student": "medical student",
    **{f"PGY-{n}": f"PGY-{n}" for n in range(1, 8)},
    "fellow": "fellow",
    "early-career-attending": "early-career attending",
    "faculty": "faculty",
    "private-practice": "in private practice",
}

OTHER_SPECIALTY = "other"

SPECIALTIES: tuple[tuple[str, str], ...] = (
    ("anesthesiology", "Anesthesiology"),
    ("dermatology", "Dermatology"),
    ("diagnostic-radiology", "Diagnostic radiology"),
    ("emergency-medicine", "Emergency medicine"),
    ("family-medicine", "Family medicine"),
    ("general-surgery", "General surgery"),
    ("internal-medicine", "Internal medicine"),
    ("internal-medicine-pediatrics", "Internal medicine-pediatrics"),
    ("interventional-radiology", "Interventional radiology"),
    ("neurology", "Neurology"),
    ("neurosurgery", "Neurosurgery"),
    ("obstetrics-gynecology", "Obstetrics and gynecology"),
    ("ophthalmology", "Ophthalmology"),
    ("orthopaedic-surgery", "Orthopaedic surgery"),
    ("otolaryngology", "Otolaryngology"),
    ("pathology", "Pathology"),
    ("pediatrics", "Pediatrics"),
    ("physical-medicine-rehabilitation", "Physical medicine and rehabilitation"),
    ("plastic-surgery", "Plastic surgery"),
    ("preventive-medicine", "Preventive medicine"),
    ("psychiatry", "Psychiatry"),
    ("radiation-oncology", "Radiation oncology"),
    ("thoracic-surgery", "Thoracic surgery"),
    ("urology", "Urology"),
    ("vascular-surgery", "Vascular surgery"),
    (OTHER_SPECIALTY, "Other"),
)

SUBSPECIALTIES: tuple[tuple[str, str, str], ...] = (
    ("cardiology", "Cardiology", "internal-medicine"),
    ("gastroenterology", "Gastroenterology", "internal-medicine"),
    ("pulmonary-critical-care", "Pulmonary and critical care", "internal-medicine"),
    ("nephrology", "Nephrology", "internal-medicine"),
    ("hematology-oncology", "Hematology and oncology", "internal-medicine"),
    ("infectious-disease", "Infectious disease", "internal-medicine"),
    ("endocrinology", "Endocrinology", "internal-medicine"),
    ("rheumatology", "Rheumatology", "internal-medicine"),
    ("allergy-immunology", "Allergy and immunology", "internal-medicine"),
    ("geriatrics", "Geriatric medicine", "internal-medicine"),
    ("hospital-medicine", "Hospital medicine", "internal-medicine"),
    ("palliative-care", "Hospice and palliative medicine", "internal-medicine"),
    ("neonatology", "Neonatology", "pediatrics"),
    ("pediatric-cardiology", "Pediatric cardiology", "pediatrics"),
    ("pediatric-critical-care", "Pediatric critical care", "pediatrics"),
    ("pediatric-emergency-medicine", "Pediatric emergency medicine", "pediatrics"),
    ("pediatric-hematology-oncology", "Pediatric hematology and oncology", "pediatrics"),
    ("child-adolescent-psychiatry", "Child and adolescent psychiatry", "psychiatry"),
    ("maternal-fetal-medicine", "Maternal-fetal medicine", "obstetrics-gynecology"),
    ("sports-medicine", "Sports medicine", "family-medicine"),
)
"""Common subspecialties (id, menu label, parent specialty id), offered beside the specialties.

Matching compares specialties by family (`specialty_family`): a cardiologist and a nephrologist are
"the same specialty" (internal medicine), as two internists are. The profile keeps the finer choice.
"""

SUBSPECIALTY_PARENTS: dict[str, str] = {slug: parent for slug, _, parent in SUBSPECIALTIES}

SPECIALTY_IDS: tuple[str, ...] = (
    *(slug for slug, _ in SPECIALTIES),
    *(slug for slug, _, _ in SUBSPECIALTIES),
)

_SPECIALTY_MENU_LABELS: dict[str, str] = {
    **dict(SPECIALTIES),
    **{slug: label for slug, label, _ in SUBSPECIALTIES},
}

TRACKS: tuple[str, ...] = ("academic", "private-practice", "hybrid", "undecided")

TRACK_LABELS: dict[str, str] = {
    "academic": "academic",
    "private-practice": "private practice",
    "hybrid": "hybrid",
    "undecided": "undecided",
}

DOMAINS: tuple[str, ...] = (
    "research",
    "education",
    "promotion",
    "clinical",
    "business",
    "leadership",
    "wellbeing",
)

DOMAIN_LABELS: dict[str, str] = {
    "research": "research",
    "education": "teaching",
    "promotion": "promotion",
    "clinical": "clinical skills",
    "business": "practice management, contracts and finance",
    "leadership": "leadership",
    "wellbeing": "wellbeing",
}

DOMAIN_ALIASES: dict[str, str] = {
    "teaching": "education",
    "teach": "education",
    "med-ed": "education",
    "meded": "education",
    "academic": "promotion",
    "career": "promotion",
    "promo": "promotion",
    "tenure": "promotion",
    "clinic": "clinical",
    "clinical-skills": "clinical",
    "patient-care": "clinical",
    "money": "business",
    "finance": "business",
    "contracts": "business",
    "contract": "business",
    "practice-management": "business",
    "lead": "leadership",
    "wellness": "wellbeing",
    "well-being": "wellbeing",
    "burnout": "wellbeing",
    "work-life": "wellbeing",
    "worklife": "wellbeing",
    "papers": "research",
    "publishing": "research",
}

FREQUENCIES: tuple[str, ...] = ("biweekly", "monthly", "every-6-weeks", "quarterly")

FREQUENCY_LABELS: dict[str, str] = {
    "biweekly": "every two weeks",
    "monthly": "monthly",
    "every-6-weeks": "every six weeks",
    "quarterly": "quarterly",
}

FREQUENCY_CADENCE_DAYS: dict[str, int] = {
    "biweekly": 14,
    "monthly": 30,
    "every-6-weeks": 42,
    "quarterly": 91,
}

_STAGE_ORDER = {stage: rank for rank, stage in enumerate(STAGES)}


def stage_rank(stage: str | None) -> int | None:
    """Seniority order of a stage (medical student = 0); None when unknown.

    Private practice and faculty share a rank: both are post-training attendings.
    """
    if stage is None or stage not in _STAGE_ORDER:
        return None
    if stage == "private-practice":
        return _STAGE_ORDER["faculty"]
    return _STAGE_ORDER[stage]


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def track_label(track: str) -> str:
    return TRACK_LABELS.get(track, track)


def domain_label(domain: str) -> str:
    return DOMAIN_LABELS.get(domain, domain.replace("-", " "))


def frequency_label(frequency: str) -> str:
    return FREQUENCY_LABELS.get(frequency, frequency.replace("-", " "))


def specialty_menu_label(specialty: str) -> str:
    """The label a select menu shows ("Internal medicine")."""
    return _SPECIALTY_MENU_LABELS.get(specialty, sentence_case(specialty.replace("-", " ")))


def specialty_family(specialty: str) -> str:
    """The specialty matching compares: a subspecialty's parent, any other specialty itself."""
    return SUBSPECIALTY_PARENTS.get(specialty, specialty)


def matching_specialty(specialty: str | None, other: str | None) -> str | None:
    """What matching compares for a member: their typed specialty for Other, else its family."""
    if specialty == OTHER_SPECIALTY:
        return other
    return specialty_family(specialty) if specialty else specialty


def specialty_label(specialty: str) -> str:
    """The in-sentence form ("both in internal medicine")."""
    if specialty in _SPECIALTY_MENU_LABELS:
        label = _SPECIALTY_MENU_LABELS[specialty]
        return label[:1].lower() + label[1:]
    return specialty.replace("-", " ")


def domain_from_tag(tag: str) -> str | None:
    """The domain id a `#tag` names (an id or an alias, any case, with or without the `#`); None if none."""
    key = tag.strip().lstrip("#").strip().lower().replace("_", "-")
    if key in DOMAIN_LABELS:
        return key
    return DOMAIN_ALIASES.get(key)


def sentence_case(text: str) -> str:
    """The text with its first letter capitalised and the rest untouched ("PGY-2" stays "PGY-2")."""
    return text[:1].upper() + text[1:]
