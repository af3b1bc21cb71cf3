"""The checker's learned codes: trained on the labelled lines as they are now, scored in pure Python as
scikit-learn scores them, loud when they cannot be used, and never at the cost of a better version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.practice.checker import check_question, examine
from bot.practice.learned import (
    BATCHES,
    DOUBT,
    MODEL_FILE,
    ROOT,
    CodeModel,
    doubted,
    floors_of,
    load_code_model,
    raised,
    shipped_code_model,
    training_files,
)
from bot.textmodel import LinearTextModel, model_from_json, sigmoid

DATA = json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def test_learned_model_exists_and_was_trained_on_the_labelled_lines_as_they_are_now() -> None:
    """Fails when a batch or the development set changed (or a batch joined) since training:
    run `make train-questions`."""
    assert DATA["training_files"] == training_files(ROOT)
    assert sorted(k for k in DATA["training_files"] if k.startswith(BATCHES)), "the batches are in training"
    assert shipped_code_model().warning is None


def test_learned_model_scorer_matched_scikit_learn_at_training() -> None:
    assert DATA["max_difference_from_sklearn"] <= 1e-6
    assert set(DATA["learned"]) <= set(DATA["thresholds"])
    assert all(0.0 < DATA["thresholds"][code] <= 1.0 for code in DATA["learned"])


def test_learned_model_file_is_compact() -> None:
    """The weights are what the coach loads (2.6 MB through ZP, MIN_DF 5); the leave-one-batch-out records
    beside them (0.9 MB, read only by the report) grow by about 25 KB a batch."""
    assert len(json.dumps(DATA["blocks"])) < 3_000_000
    assert MODEL_FILE.stat().st_size < 3_500_000


def test_learned_model_left_each_batch_out_once() -> None:
    held = DATA["leave_one_batch_out"]
    assert sorted(held) == sorted(Path(k).stem for k in DATA["training_files"] if k.startswith(BATCHES))
    for stem, record in held.items():
        assert record["batch_sha256"] == DATA["training_files"][f"{BATCHES}/{stem}.yaml"]


def test_learned_model_outputs_are_probabilities() -> None:
    model = model_from_json(DATA)
    probabilities = sigmoid(model.logits("could your daughter pop in more often?"))
    assert set(probabilities) == set(DATA["labels"])
    assert all(0.0 <= p <= 1.0 for p in probabilities.values())


def test_learned_model_missing_means_rules_alone_and_a_warning(tmp_path: Path) -> None:
    model = load_code_model(tmp_path / "question_model.json")
    assert model.model is None and "is missing" in (model.warning or "") and "rules alone" in (model.warning or "")
    assert model.codes("could your daughter pop in more often?") == set()
    assert examine("Could your daughter pop in more often?", model=model)[1] == {"substitution"}


@pytest.mark.parametrize("body", ["{not json", "[]", '{"format": 1}', json.dumps(DATA | {"format": 99})])
def test_learned_model_unreadable_means_rules_alone(tmp_path: Path, body: str) -> None:
    path = tmp_path / "question_model.json"
    path.write_text(body, encoding="utf-8")
    assert "cannot be read" in (load_code_model(path).warning or "")


def _copy_of_training_data(root: Path) -> Path:
    for rel in training_files(ROOT):
        for source in (ROOT / rel, (ROOT / rel).with_name(Path(rel).stem + ".first_sight.json")):
            if source.exists():
                (root / source.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, root / source.relative_to(ROOT))
    return root


def test_learned_model_is_stale_when_a_batch_changes_or_a_scored_batch_joins(tmp_path: Path) -> None:
    root = _copy_of_training_data(tmp_path)
    assert load_code_model(MODEL_FILE, root=root).warning is None
    (root / BATCHES / "new.yaml").write_text('- {text: "Hello?", open: false, form: question, codes: []}\n')
    assert load_code_model(MODEL_FILE, root=root).warning is None  # not scored yet: not in training
    (root / BATCHES / "new.first_sight.json").write_text("{}")
    assert load_code_model(MODEL_FILE, root=root, new_batches_ok=True).warning is None
    stale = load_code_model(MODEL_FILE, root=root)
    assert "stale" in (stale.warning or "") and "new.yaml" in (stale.warning or "")
    assert "make train-questions" in (stale.warning or "")


def test_learned_model_outside_a_checkout_is_trusted_as_shipped(tmp_path: Path) -> None:
    assert load_code_model(MODEL_FILE, root=tmp_path).warning is None


@pytest.mark.parametrize("text", [
    "Most people find their faith community is happy to help out with lifts.",
    "Who could help you with that instead of paid carers?",
    "It sounds like between your sisters you've got it all covered.",
])
def test_learned_codes_are_explained_with_a_better_version(text: str) -> None:
    verdict = check_question(text)
    assert verdict.issues
    for issue in verdict.issues:
        assert issue.explanation and issue.better, issue.code
        assert not check_question(issue.better).issues, issue.better
        if issue.code in ("substitution", "minimising"):
            assert "Care Act" in issue.explanation


def test_rules_alone_are_still_available() -> None:
    rules_only = examine("What can't you do any more?", model=CodeModel(None))[1]
    assert rules_only == {"deficit"}


def _sure_not(*codes: str) -> CodeModel:
    """A model sure that none of `codes` is in any line (each probability about 0.00005)."""
    model = LinearTextModel(tuple(codes), tuple(-10.0 for _ in codes), ())
    return CodeModel(model, {}, None, {}, {code: 0.5 for code in codes})


def test_a_rule_the_model_is_sure_of_not_is_dropped() -> None:
    assert "closed" in examine("Are you coping with the meals?", model=CodeModel(None))[1]
    assert "closed" not in examine("Are you coping with the meals?", model=_sure_not("closed"))[1]
    assert "jargon" in examine("How are your ADLs going?", model=CodeModel(None))[1]
    assert "jargon" not in examine("How are your ADLs going?", model=_sure_not("jargon"))[1]


def test_a_statement_said_as_a_question_stays_closed_and_leading_whatever_the_model_says() -> None:
    for text in ("So the nights are fine?", "The mornings are easier now, aren't they?"):
        assert {"closed", "leading"} <= examine(text, model=_sure_not("closed", "leading"))[1], text


def test_the_model_never_doubts_a_code_it_would_raise_itself() -> None:
    assert floors_of({"why": 0.01, "closed": 0.6}) == {"why": 0.01, "closed": DOUBT}
    assert floors_of({"why": 0.01, "closed": 0.6}, good_shape=True) == {"why": 0.01, "closed": 0.6}
    assert doubted({"why": 0.02, "closed": 0.1}, floors_of({"why": 0.01, "closed": 0.6})) == {"closed"}


def test_a_statement_or_reflection_is_not_two_questions_on_the_models_word_alone() -> None:
    always_double = CodeModel(LinearTextModel(("double",), (10.0,), ()), {"double": 0.5}, None, {}, {"double": 0.5})
    assert "double" not in examine("You want to decide what stays and what goes.", model=always_double)[1]
    assert "double" in examine("How do you manage meals, and who does the shopping?", model=always_double)[1]
    assert "double" in examine("I need to go through your money, whether you have savings and who helps with bills.",
                               model=always_double)[1]


def test_an_exception_question_is_not_leading_on_the_models_word_alone() -> None:
    always_leading = CodeModel(LinearTextModel(("leading",), (10.0,), ()), {"leading": 0.5}, None, {},
                               {"leading": 0.5})
    assert "leading" not in examine("When is it a little better, even for a moment?", model=always_leading)[1]
    assert "leading" in examine("How much better would you sleep with a night sitter?", model=always_leading)[1]


def test_the_model_must_be_sure_to_add_jargon_minimising_or_double_itself() -> None:
    """Above its own threshold is not enough for these three: what the rules miss, the model gets wrong more
    often (learned.SURE)."""
    thresholds = {"jargon": 0.33, "minimising": 0.42, "double": 0.31, "deficit": 0.59}
    unsure = {"jargon": 0.6, "minimising": 0.6, "double": 0.5, "deficit": 0.6}
    assert raised(unsure, thresholds, good_shape=False) == {"deficit"}
    sure = {"jargon": 0.85, "minimising": 0.75, "double": 0.65, "deficit": 0.6}
    assert raised(sure, thresholds, good_shape=False) == {"jargon", "minimising", "double", "deficit"}
