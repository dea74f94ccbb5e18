"""Round 7 (issue 3 §2): a speech's frame — the opening, the review of a period that has ended, the
verdict on it, the closing exhortations and a document's closing boilerplate — is never a task, even
when it names a period ("部署下半年重点任务") or a figure. All texts are short and invented."""

from datetime import date

from zugong.work.text.tasks import analyse


class _Kinds(dict):
    """Sentence text → kind ('task'/'guidance'); looked up by the sentence's opening words
    (missing = dropped)."""

    def get(self, start, default=None):
        return next((kind for text, kind in self.items() if text.startswith(start)), default)

    def __getitem__(self, start):
        kind = self.get(start)
        if kind is None:
            raise KeyError(start)
        return kind


def _kinds(raw: str) -> _Kinds:
    return _Kinds({t.text: t.kind for t in analyse(raw, doc_date=date(2026, 7, 10)).tasks})


SPEECH = (
    "在全县年中工作推进会上的讲话\n"
    "今天召开全县年中工作推进会，主要任务是回顾上半年工作，部署下半年重点任务。\n"
    "一、上半年工作回顾\n"
    "上半年，全县组织系统紧扣中心工作，各项工作稳中有进。一是基层基础不断夯实，整顿后进村党组织9个。"
    "二是人才工作亮点纷呈，新引进各类人才150名。\n"
    "总的来看，上半年工作开局良好、进展顺利。\n"
    "二、下半年重点任务\n"
    "下半年是完成全年目标的关键阶段。\n"
    "各乡镇要在10月底前完成村级后备力量储备，每村储备2名以上。\n"
    "各乡镇党委书记要切实履行抓党建第一责任人职责。\n"
    "同志们，下半年时间紧、任务重、要求高。大家一定要只争朝夕，奋力完成全年目标任务。\n"
)


def test_it_keeps_the_opening_of_a_meeting_out_even_when_it_names_the_coming_half_year():
    assert _kinds(SPEECH).get("今天召开全县年中工作推进") != "task"


def test_it_reads_a_review_paragraph_and_its_enumerated_achievements_as_background():
    kinds = _kinds(SPEECH)
    for start in ("上半年，全县组织系统紧扣", "一是基层基础不断夯实，整", "二是人才工作亮点纷呈，新", "总的来看，上半年工作开局"):
        assert kinds.get(start) != "task", start


def test_it_keeps_the_tasks_after_the_review_and_drops_the_closing_calls():
    kinds = _kinds(SPEECH)
    assert kinds["各乡镇要在10月底前完成村级"] == "task"
    for start in ("下半年是完成全年目标的关键", "各乡镇党委书记要切实履行抓", "同志们，下半年时间紧、任务", "大家一定要只争朝夕，奋力完"):
        assert kinds.get(start) != "task", start


def test_it_ends_a_review_at_a_sentence_that_turns_to_what_is_to_be_done():
    raw = "二、重点任务\n今年以来，全市新建党群服务中心20个。下一步，要在年底前再建成党群服务中心15个。\n"
    kinds = _kinds(raw)
    assert kinds.get("今年以来，全市新建党群服务") != "task"
    assert kinds["下一步，要在年底前再建成党"] == "task"


def test_it_drops_a_documents_closing_boilerplate_and_sanctions():
    raw = ("三、组织保障\n各部门要各司其职、密切配合。\n干部实绩档案作为干部考核的重要依据。\n"
           "对落实不力、推诿扯皮的单位和个人，由县委组织部严肃追责问责。\n本措施由县委组织部负责解释，自印发之日起施行。\n")
    assert all(kind != "task" for kind in _kinds(raw).values())


def test_it_still_reads_a_task_that_ends_by_forming_a_joint_effort():
    raw = "二、重点任务\n进一步加强人才服务，健全分级分类的服务体系、形成齐抓共管的服务闭环。\n"
    assert _kinds(raw)["进一步加强人才服务，健全分"] == "task"
