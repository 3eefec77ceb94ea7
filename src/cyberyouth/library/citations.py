"""Registry (data) of the records that may cite a library product: a campaign, a propaganda
session, a dialogue… Each kind says where its records live, which unit owns one, who may read
it and who may cite a product in it. The library stores a citation as (product, kind, id) and
never imports the citing app; the citing app registers its kind in its AppConfig.ready():

    from cyberyouth.library.citations import Citable, register
    register(Citable(kind="dialogue", label="Buổi đối thoại", model="dialogues.Dialogue",
                     unit_field="unit", read="dialogue.read", cite="dialogue.manage",
                     url_name="dialogues:dialogue", url_arg="dialogue_id"))
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class Citable:
    kind: str  # the key stored in Citation.target_kind
    label: str  # what the record is called in Vietnamese ("Chiến dịch")
    model: str  # "app_label.ModelName"
    unit_field: str  # the record's unit foreign key (scoping: orgs.selectors)
    read: str  # capability that lets one see the record ("a|b": either)
    cite: str  # capability, on the record's unit, that lets one cite a product in it
    url_name: str = ""  # the record's page, if it has one
    url_arg: str = ""  # the page's argument that takes the record's id
    title_field: str = "title"  # attribute (or property) that names the record
    describe: Callable | None = None  # or a function record → its name, for records without one

    def model_class(self):
        return apps.get_model(self.model)

    def title_of(self, record) -> str:
        if self.describe is not None:
            return self.describe(record)
        return str(getattr(record, self.title_field, "") or record)

    def url_of(self, record) -> str:
        return reverse(self.url_name, kwargs={self.url_arg: record.pk}) if self.url_name else ""

    def unit_id_of(self, record) -> int:
        return getattr(record, f"{self.unit_field}_id")


CITABLE: dict[str, Citable] = {}


def register(citable: Citable) -> None:
    CITABLE[citable.kind] = citable


def register_defaults() -> None:
    """The kinds that exist today: the campaigns app's campaigns, the students app's propaganda
    sessions on the Code of Conduct and the dialogues app's dialogues."""
    if apps.is_installed("cyberyouth.campaigns"):
        register(Citable(kind="campaign", label="Chiến dịch", model="campaigns.Campaign", unit_field="owner_unit",
                         read="campaign.read", cite="campaign.manage", url_name="campaigns:campaign",
                         url_arg="campaign_id"))
    if apps.is_installed("cyberyouth.students"):
        register(Citable(kind="conduct_session", label="Buổi tuyên truyền Quy tắc ứng xử",
                         model="students.ConductSession", unit_field="unit", read="conduct.record|student.read",
                         cite="conduct.record", describe=_session_name))


    if apps.is_installed("cyberyouth.dialogues"):
        register(Citable(kind="dialogue", label="Buổi đối thoại", model="dialogues.Dialogue", unit_field="unit",
                         read="dialogue.read", cite="dialogue.manage", url_name="dialogues:detail",
                         url_arg="dialogue_id"))


def _session_name(session) -> str:
    return f"{session.get_form_display()} ngày {session.held_on:%d/%m/%Y}"
