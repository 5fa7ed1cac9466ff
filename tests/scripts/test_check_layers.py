"""scripts/check-layers against small planted trees: it must pass a clean one and name each
kind of bad edge (upward include, undeclared include, upward link, unknown folder)."""
import os
import pathlib
import subprocess
import textwrap

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "check-layers"

TABLE = textwrap.dedent("""\
    | rank | folder | job | may use |
    | --- | --- | --- | --- |
    | 0 | `core` | basics | (nothing of ours) |
    | 1 | `obs` | metrics | core |
    | 1 | `domain` | rules | core |
    | 2 | `api` | handlers | everything below |
    | 3 | `main.cpp` | dispatch | api, core |
    """)


# Direct links that match CLEAN's includes exactly.
CLEAN_CMAKE = """\
target_link_libraries(sre_obs PUBLIC sre_core)
target_link_libraries(sre_domain PUBLIC sre_core)
target_link_libraries(sre_api PUBLIC sre_obs sre_domain)
target_link_libraries(sre-playground PRIVATE sre_api sre_core)
"""


def make_tree(tmp_path, files, cmake=CLEAN_CMAKE):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "architecture.md").write_text(TABLE)
    for name, text in files.items():
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / "src" / "CMakeLists.txt").write_text(cmake)
    return tmp_path


def run(tree):
    env = dict(os.environ, SRE_LAYERS_ROOT=str(tree))
    return subprocess.run(["/usr/bin/python3", str(SCRIPT)], env=env, capture_output=True,
                          text=True, check=False)


CLEAN = {
    "core/a.h": "#pragma once\n#include <string>\n",
    "obs/m.h": '#include "core/a.h"\n',
    "domain/d.h": '#include "core/a.h"\n',
    "api/h.cpp": '#include "obs/m.h"\n#include "domain/d.h"\n#include "api/x.h"\n',
    "main.cpp": '#include "api/h.h"\n#include "core/a.h"\n',
}


def test_clean_tree_passes(tmp_path):
    result = run(make_tree(tmp_path, CLEAN))
    assert result.returncode == 0, result.stdout
    assert "check-layers: ok (5 layers" in result.stdout


def test_upward_include_fails_with_its_location(tmp_path):
    files = dict(CLEAN, **{"core/a.cpp": '#include "core/a.h"\n\n#include "obs/m.h"\n'})
    result = run(make_tree(tmp_path, files))
    assert result.returncode == 1
    assert "src/core/a.cpp:3: upward include core -> obs" in result.stdout


def test_same_rank_include_is_refused_unless_declared(tmp_path):
    files = dict(CLEAN, **{"obs/n.cpp": '#include "domain/d.h"\n'})
    result = run(make_tree(tmp_path, files))
    assert result.returncode == 1
    assert "src/obs/n.cpp:1: upward include obs -> domain" in result.stdout


def test_root_file_edges_are_checked(tmp_path):
    files = dict(CLEAN, **{"main.cpp": '#include "obs/m.h"\n'})
    result = run(make_tree(tmp_path, files))
    assert result.returncode == 1
    assert "src/main.cpp:1: undeclared include main.cpp -> obs" in result.stdout


def test_upward_link_fails(tmp_path):
    cmake = CLEAN_CMAKE.replace("sre_domain PUBLIC sre_core", "sre_domain PUBLIC sre_core sre_api")
    result = run(make_tree(tmp_path, CLEAN, cmake))
    assert result.returncode == 1
    assert "src/CMakeLists.txt: upward link domain -> api" in result.stdout
    assert "obs -> core" not in result.stdout


def test_include_that_compiles_only_through_a_transitive_link_fails(tmp_path):
    files = dict(CLEAN, **{"api/h.cpp": CLEAN["api/h.cpp"] + '#include "core/a.h"\n'})
    result = run(make_tree(tmp_path, files))
    assert result.returncode == 1
    assert "api includes core but does not link sre_core" in result.stdout


def test_link_to_an_unused_folder_fails(tmp_path):
    cmake = CLEAN_CMAKE.replace("sre_api sre_core", "sre_api sre_core sre_obs")
    result = run(make_tree(tmp_path, CLEAN, cmake))
    assert result.returncode == 1
    assert "main.cpp links sre_obs but includes nothing of it" in result.stdout


def test_folder_missing_from_the_table_fails(tmp_path):
    files = dict(CLEAN, **{"extra/e.h": '#include "core/a.h"\n'})
    result = run(make_tree(tmp_path, files))
    assert result.returncode == 1
    assert "src/extra/: folder missing from architecture.md" in result.stdout
    assert "include from 'extra'" in result.stdout
