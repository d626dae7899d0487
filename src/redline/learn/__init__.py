"""Learned models beside the rules: an event-type model and an actor-role model.

The rules (``redline.events``) propose predicates and attach actors; the models, trained
offline on labelled data (``redline train``), score what the rules propose:

* :mod:`redline.learn.typer` scores a sentence's PLOVER types (multi-class, with a
  ``NONE`` class) and vetoes a rule's event whose type the sentence does not support;
* :mod:`redline.learn.roles` scores an actor mention against a predicate as source, target,
  both or neither, and fills a side the rules left empty.

Weights ship inside the package (``learn/data/*.npz``), each listed with its SHA-256 in
``learn/data/manifest.json``; a file that does not match is a :class:`ModelError`, never a
silent fallback (:mod:`redline.learn.modelfile`). Inference needs only NumPy; training needs
scikit-learn (``pip install redline[train]``).
"""
