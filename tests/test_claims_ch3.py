"""Claims that chapter 3's lactate and oxygen practice pages make about models and formulas.

Named after page and claim, like ``tests/test_claims_ch1.py``; the numbers on the pages are glued
from the same calls.
"""

import pytest

from sepsislab import clinical
from sepsislab.exercises.practices import lactate as lactate_practice
from sepsislab.models import microcirculation, oxygen


# --- ch3/lactate.md ------------------------------------------------------------------------------

def test_lactate_example1_clearance_is_relative_to_the_first_value():
    assert clinical.lactate_clearance(4.0, 2.6) == pytest.approx(35.0, abs=0.01)


def test_lactate_example2_no_lets_the_same_oxygen_support_only_a_fraction_of_respiration():
    without, with_no = oxygen.mitochondrial_o2_use(20, 0), oxygen.mitochondrial_o2_use(20, 300)
    assert with_no < 0.5 * without


@pytest.mark.parametrize("lactate,scvo2,box", [
    (4.0, 60, "delivery"), (4.0, 80, "not delivery-limited"), (1.2, 60, "compensated"), (1.2, 80, "adequate"),
])
def test_lactate_table_the_high_lactate_normal_scvo2_box_only_rules_out_delivery(lactate, scvo2, box):
    assert lactate_practice.pattern(lactate, scvo2) == box
    assert "utilisation" not in {lactate_practice.pattern(l, s) for l in (1, 4) for s in (60, 80)}


def test_lactate_table_the_oxygen_model_makes_high_lactate_with_high_scvo2_from_no():
    """The page's 'not delivery-limited' box is where the oxygen model's cytopathic patient lands."""
    run = oxygen.simulate(hours=24)
    assert lactate_practice.pattern(float(run.lactate[-1]), 100 * float(run.scvo2[-1])) == "not delivery-limited"


# --- ch3/oxygen.md -------------------------------------------------------------------------------

def test_oxygen_example2_critical_delivery_is_consumption_over_emax():
    ca = clinical.arterial_oxygen_content(10, 0.95, 80)
    cv = clinical.arterial_oxygen_content(10, 0.65, 35)
    vo2 = clinical.oxygen_consumption(5, ca, cv)
    assert float(oxygen.critical_do2(vo2, 0.5)) == pytest.approx(2 * vo2, rel=1e-9)
    assert clinical.oxygen_extraction_ratio(ca, cv) == pytest.approx(vo2 / clinical.oxygen_delivery(5, ca), rel=1e-6)


def test_oxygen_evidence_box_model_predicts_heterogeneity_raises_the_critical_delivery():
    healthy = oxygen.critical_do2(250, microcirculation.max_extraction(0.4, 0.0))
    septic = oxygen.critical_do2(250, microcirculation.max_extraction(2.0, 0.3))
    assert septic > 1.3 * healthy
