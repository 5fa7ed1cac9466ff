"""scripts/mutants: the catalogue still applies to the source (so it cannot rot unnoticed
between full `make mutants` runs), covers every folder of src/, and a mutation whose original
text is gone stops the script before anything is built."""
import pathlib
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "mutants"


def run(*args):
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_every_mutation_of_the_catalogue_applies_exactly_once():
    result = run("--check")
    assert result.returncode == 0, result.stderr
    assert "mutations apply" in result.stdout


def test_the_catalogue_covers_every_folder_of_src_with_sixty_or_more_mutations():
    listing = run("--list").stdout.splitlines()
    folders = {p.name for p in (REPO / "src").iterdir() if p.is_dir()}
    covered = {line.split()[1].split("/")[1] for line in listing[:-1]}
    assert folders <= covered, f"folders without a mutant: {sorted(folders - covered)}"
    assert len(listing) - 1 >= 60


def test_a_mutation_that_no_longer_applies_stops_the_run(tmp_path):
    catalogue = tmp_path / "mutants.toml"
    catalogue.write_text(
        '[[mutant]]\nid = "gone"\nfile = "src/core/ids.cpp"\n'
        'original = "text that is not in the file"\nreplacement = "x"\nctest = "Ids"\n')
    result = run("--catalogue", str(catalogue), "gone")
    assert result.returncode == 2
    assert "gone: the original text occurs 0 times in src/core/ids.cpp" in result.stderr


def test_a_mapped_test_that_pytest_cannot_find_stops_the_run(tmp_path):
    """A renamed test parameter: run, pytest would fail on usage, which is not a kill."""
    catalogue = tmp_path / "mutants.toml"
    catalogue.write_text(
        '[[mutant]]\nid = "renamed"\nfile = "src/core/ids.cpp"\n'
        "original = \"text.size() > 128\"\nreplacement = \"text.size() > 129\"\n"
        'pytest = ["tests/e2e/test_students.py::test_delete_does_not_reuse_ids[gone]"]\n')
    result = run("--catalogue", str(catalogue), "--check")
    assert result.returncode == 2
    assert ("renamed: pytest finds no test "
            "tests/e2e/test_students.py::test_delete_does_not_reuse_ids[gone]") in result.stderr
