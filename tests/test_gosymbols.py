"""The symbol index's text prefilters."""

from __future__ import annotations

import textwrap

from idrename.gosymbols import embedded_names


def test_embedded_names_are_the_names_a_file_may_embed_or_alias() -> None:
    src = textwrap.dedent('''
    package p

    type A = pkg.Target

    type S struct {
    	*other.Base `json:"base"`
    	Named int
    	Generic[T]
    	Plain // a comment
    	Inner struct {
    		Deep
    	}
    	After
    }

    type I interface { Small; Other }

    type J interface {
    	Reader
    	Close() error
    }

    type K notastruct {
    	Hidden
    }
    ''').encode()
    # `After` follows the inner block's closing brace: a block ends at its first `}` line, as
    # gofmt never writes one otherwise.
    assert embedded_names(src) == {"Target", "Base", "Generic", "Plain", "Deep", "Small",
                                   "Other", "Reader"}
    assert embedded_names(src.replace(b"\n", b"\r\n")) == embedded_names(src)
