"""The domain vocabulary, in one home: indicator categories and their spellings, flag codes,
and the grammar of values and amounts. Every stage imports these words from here; this
package imports nothing from the rest of semx.
"""
