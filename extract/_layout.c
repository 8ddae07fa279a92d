/* The per-character loops of the page layout in C: the same results as the Python
 * reference functions they stand for (page_lines.cluster_rows / group_lines,
 * page_blocks._CharIndex, the blank-character filter), which stay the definition and the
 * fallback.
 *
 * Every function here takes only the inputs whose Python semantics it reproduces exactly:
 * exact dicts whose coordinates are exact floats (no NaN), texts that are exact str, sizes
 * that are missing, None, 0 or exact floats (no NaN), settings that are exact floats. For
 * anything else it returns NotImplemented before changing any state, and the caller runs
 * the Python reference. Floats are computed in double in Python's order (built with
 * -ffp-contract=off); sorts are stable, as Python's; min/max keep the first extreme.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ module state */

static PyObject *k_text, *k_x0, *k_x1, *k_top, *k_bottom, *k_size;
static PyObject *LineType = NULL;         /* page_lines.Line (a NamedTuple) */
static PyObject *east_asian_width = NULL; /* unicodedata.east_asian_width */
static Py_UCS4 *no_start = NULL, *no_end = NULL, *break_after = NULL;
static Py_ssize_t n_no_start = 0, n_no_end = 0, n_break_after = 0;
static unsigned char wide_cache[0x10000]; /* 0 unknown, 1 wide (W/F), 2 not */

static int
in_points(Py_UCS4 ch, const Py_UCS4 *set, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        if (set[i] == ch)
            return 1;
    return 0;
}

/* The one-character members of a collection of strings, as code points. */
static int
code_points(PyObject *collection, Py_UCS4 **out, Py_ssize_t *n)
{
    PyObject *seq = PySequence_Fast(collection, "a collection of strings");
    if (seq == NULL)
        return -1;
    Py_ssize_t len = PySequence_Fast_GET_SIZE(seq), k = 0;
    Py_UCS4 *pts = PyMem_Malloc(sizeof(Py_UCS4) * (len + 1));
    if (pts == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *s = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(s)) {
            PyMem_Free(pts);
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "expected strings");
            return -1;
        }
        if (PyUnicode_GET_LENGTH(s) == 1)
            pts[k++] = PyUnicode_READ_CHAR(s, 0);
    }
    Py_DECREF(seq);
    PyMem_Free(*out);
    *out = pts;
    *n = k;
    return 0;
}

static PyObject *
setup(PyObject *self, PyObject *args)
{
    PyObject *line, *ns, *ne, *ba, *eaw;
    if (!PyArg_ParseTuple(args, "OOOOO", &line, &ns, &ne, &ba, &eaw))
        return NULL;
    if (!PyType_Check(line) || !PyType_IsSubtype((PyTypeObject *)line, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Line must be a tuple type");
        return NULL;
    }
    if (code_points(ns, &no_start, &n_no_start) < 0 || code_points(ne, &no_end, &n_no_end) < 0
        || code_points(ba, &break_after, &n_break_after) < 0)
        return NULL;
    Py_INCREF(line);
    Py_XSETREF(LineType, line);
    Py_INCREF(eaw);
    Py_XSETREF(east_asian_width, eaw);
    memset(wide_cache, 0, sizeof(wide_cache));
    Py_RETURN_NONE;
}

/* unicodedata.east_asian_width(ch) in ("W", "F"); -1 on error */
static int
is_wide(Py_UCS4 ch)
{
    if (ch < 0x10000 && wide_cache[ch])
        return wide_cache[ch] == 1;
    PyObject *s = PyUnicode_FromOrdinal((int)ch);
    if (s == NULL)
        return -1;
    PyObject *w = PyObject_CallOneArg(east_asian_width, s);
    Py_DECREF(s);
    if (w == NULL)
        return -1;
    int wide = PyUnicode_Check(w) && (PyUnicode_CompareWithASCIIString(w, "W") == 0
                                      || PyUnicode_CompareWithASCIIString(w, "F") == 0);
    Py_DECREF(w);
    if (ch < 0x10000)
        wide_cache[ch] = wide ? 1 : 2;
    return wide;
}

/* ------------------------------------------------------------------ characters */

typedef struct {
    PyObject *d;                        /* the character's dict (borrowed) */
    PyObject *text, *x0o, *x1o, *topo, *bottomo;  /* borrowed from the dict */
    double x0, x1, top, bottom, mid;
    double size;                        /* c.get("size") or 0.0 */
} Char;

/* the doubles of an array of Char are read with a stride (sort_by) */
_Static_assert(sizeof(Char) % sizeof(double) == 0, "Char holds whole doubles");

enum { NEED_TEXT = 1, NEED_SIZE = 2 };

/* 1: read; 0: not an input this module takes; -1: error */
static int
exact_float(PyObject *d, PyObject *key, PyObject **obj, double *v)
{
    PyObject *o = PyDict_GetItemWithError(d, key);
    if (o == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyFloat_CheckExact(o))
        return 0;
    *v = PyFloat_AS_DOUBLE(o);
    if (isnan(*v))
        return 0;
    *obj = o;
    return 1;
}

static int
read_char(PyObject *d, Char *c, int need)
{
    int r;
    if (!PyDict_CheckExact(d))
        return 0;
    c->d = d;
    if ((r = exact_float(d, k_x0, &c->x0o, &c->x0)) != 1
        || (r = exact_float(d, k_x1, &c->x1o, &c->x1)) != 1
        || (r = exact_float(d, k_top, &c->topo, &c->top)) != 1
        || (r = exact_float(d, k_bottom, &c->bottomo, &c->bottom)) != 1)
        return r;
    c->mid = (c->top + c->bottom) / 2;
    if (isnan(c->mid))
        return 0;
    c->text = NULL;
    if (need & NEED_TEXT) {
        PyObject *t = PyDict_GetItemWithError(d, k_text);
        if (t == NULL)
            return PyErr_Occurred() ? -1 : 0;
        if (!PyUnicode_CheckExact(t) || PyUnicode_GET_LENGTH(t) == 0)
            return 0;
        c->text = t;
    }
    c->size = 0.0;
    if (need & NEED_SIZE) {
        PyObject *s = PyDict_GetItemWithError(d, k_size);
        if (s == NULL) {
            if (PyErr_Occurred())
                return -1;
        }
        else if (s == Py_None) {
        }
        else if (PyFloat_CheckExact(s)) {
            double v = PyFloat_AS_DOUBLE(s);
            if (isnan(v))
                return 0;
            c->size = v == 0.0 ? 0.0 : v;
        }
        else if (PyLong_CheckExact(s)) {
            int overflow;
            long v = PyLong_AsLongAndOverflow(s, &overflow);
            if (v == -1 && PyErr_Occurred())
                return -1;
            if (overflow || v != 0)
                return 0;  /* a size that is a non-zero int stays an int in Python */
        }
        else
            return 0;
    }
    return 1;
}

/* The characters of a list or tuple; 1 read, 0 not taken, -1 error */
static int
read_chars(PyObject *seq, Char **out, Py_ssize_t *n, int need)
{
    *out = NULL;
    *n = 0;
    if (!PyList_CheckExact(seq) && !PyTuple_CheckExact(seq))
        return 0;
    Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
    Char *cs = PyMem_Malloc(sizeof(Char) * (len ? len : 1));
    if (cs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < len; i++) {
        int r = read_char(items[i], &cs[i], need);
        if (r != 1) {
            PyMem_Free(cs);
            return r;
        }
    }
    *out = cs;
    *n = len;
    return 1;
}

static int
read_double(PyObject *o, double *v)
{
    if (!PyFloat_CheckExact(o))
        return 0;
    *v = PyFloat_AS_DOUBLE(o);
    return !isnan(*v);
}

/* ------------------------------------------------------------------ stable sorts */

/* idx sorted stably by key[idx] (no NaN among the keys); tmp as long as idx */
static void
sort_by(Py_ssize_t *idx, Py_ssize_t *tmp, Py_ssize_t n, const double *key, Py_ssize_t stride)
{
#define KEY(i) key[(i) * stride]
    if (n < 2)
        return;
    if (n <= 16) {
        for (Py_ssize_t i = 1; i < n; i++) {
            Py_ssize_t v = idx[i], j = i;
            double kv = KEY(v);
            while (j > 0 && kv < KEY(idx[j - 1])) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
        return;
    }
    Py_ssize_t h = n / 2;
    sort_by(idx, tmp, h, key, stride);
    sort_by(idx + h, tmp, n - h, key, stride);
    if (!(KEY(idx[h]) < KEY(idx[h - 1])))
        return;  /* already in order */
    memcpy(tmp, idx, sizeof(Py_ssize_t) * h);
    Py_ssize_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (KEY(idx[j]) < KEY(tmp[i]))
            idx[k++] = idx[j++];
        else
            idx[k++] = tmp[i++];
    }
    while (i < h)
        idx[k++] = tmp[i++];
#undef KEY
}

static int
cmp_ssize(const void *a, const void *b)
{
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    return (x > y) - (x < y);
}

/* first k in [lo, hi) with v <= a[k] (bisect_left), with v < a[k] (bisect_right) */
static Py_ssize_t
bisect_left(const double *a, Py_ssize_t lo, Py_ssize_t hi, double v)
{
    while (lo < hi) {
        Py_ssize_t m = lo + (hi - lo) / 2;
        if (a[m] < v)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

static Py_ssize_t
bisect_right(const double *a, Py_ssize_t lo, Py_ssize_t hi, double v)
{
    while (lo < hi) {
        Py_ssize_t m = lo + (hi - lo) / 2;
        if (v < a[m])
            hi = m;
        else
            lo = m + 1;
    }
    return lo;
}

/* ------------------------------------------------------------------ rows and lines */

/* cluster_rows: rows[r] = idx[starts[r] .. starts[r + 1]) of the characters, each row by
 * x0 (stable in the order of middles); starts holds n + 2. Returns the number of rows
 * (the first may be empty), -1 on memory error. */
static Py_ssize_t
cluster(Char *cs, Py_ssize_t n, double tolerance, Py_ssize_t *idx, Py_ssize_t *starts)
{
    Py_ssize_t *tmp = PyMem_Malloc(sizeof(Py_ssize_t) * (n ? n : 1));
    if (tmp == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    const double *x0s = &cs[0].x0, *mids = &cs[0].mid;
    const Py_ssize_t stride = sizeof(Char) / sizeof(double);
    Py_ssize_t rows = 0;
    double lo = cs[0].mid, hi = cs[0].mid;
    for (Py_ssize_t i = 0; i < n; i++) {
        idx[i] = i;
        if (cs[i].mid < lo)
            lo = cs[i].mid;
        if (cs[i].mid > hi)
            hi = cs[i].mid;
    }
    if (lo == hi) {  /* one line: by x, ties in input order */
        sort_by(idx, tmp, n, x0s, stride);
        starts[0] = 0;
        starts[1] = n;
        PyMem_Free(tmp);
        return 1;
    }
    sort_by(idx, tmp, n, mids, stride);
    double last = cs[idx[0]].mid;
    starts[rows++] = 0;
    /* the first character too is compared with itself: a negative tolerance leaves the
     * first row empty, as in Python */
    for (Py_ssize_t k = 0; k < n; k++) {
        double mid = cs[idx[k]].mid;
        if (!(mid - last <= tolerance)) {
            starts[rows++] = k;
            last = mid;
        }
    }
    starts[rows] = n;
    for (Py_ssize_t r = 0; r < rows; r++)
        sort_by(idx + starts[r], tmp, starts[r + 1] - starts[r], x0s, stride);
    PyMem_Free(tmp);
    return rows;
}

/* str.strip() */
static PyObject *
strip(PyObject *s)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(s), i = 0, j = len;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    while (i < j && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
        i++;
    while (j > i && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j - 1)))
        j--;
    if (i == 0 && j == len) {
        Py_INCREF(s);
        return s;
    }
    return PyUnicode_Substring(s, i, j);
}

static PyObject *
make_line(PyObject *text, PyObject *x0, PyObject *top, PyObject *x1, PyObject *bottom,
          double size, double lead)
{
    PyObject *items[7];
    items[0] = text;  /* a new reference, given to the line */
    items[5] = PyFloat_FromDouble(size);
    items[6] = PyFloat_FromDouble(lead);
    if (items[5] == NULL || items[6] == NULL) {
        Py_DECREF(text);
        Py_XDECREF(items[5]);
        Py_XDECREF(items[6]);
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)LineType;
    PyTupleObject *line = (PyTupleObject *)type->tp_alloc(type, 7);
    if (line == NULL) {
        Py_DECREF(text);
        Py_DECREF(items[5]);
        Py_DECREF(items[6]);
        return NULL;
    }
    Py_INCREF(x0);
    Py_INCREF(top);
    Py_INCREF(x1);
    Py_INCREF(bottom);
    items[1] = x0;
    items[2] = top;
    items[3] = x1;
    items[4] = bottom;
    for (int i = 0; i < 7; i++)
        line->ob_item[i] = items[i];
    return (PyObject *)line;
}

/* _line: one line from the characters cs[idx[0..n)] in x order */
static PyObject *
one_line(Char *cs, const Py_ssize_t *idx, Py_ssize_t n, double ratio)
{
    Char *first = &cs[idx[0]];
    PyObject *topo = first->topo, *bottomo = first->bottomo, *x1o = first->x1o;
    double top = first->top, bottom = first->bottom, x1 = first->x1;
    double size = first->size;
    if (0.0 > size)
        size = 0.0;
    if (n == 1) {
        PyObject *text = strip(first->text);
        if (text == NULL)
            return NULL;
        return make_line(text, first->x0o, topo, x1o, bottomo, size != 0.0 ? size : 10.0,
                         x1 - first->x0);
    }
    PyObject *parts = PyList_New(0);
    if (parts == NULL)
        return NULL;
    PyObject *space = NULL;
    if (PyList_Append(parts, first->text) < 0)
        goto fail;
    int have_lead = 0;
    double lead_end = 0.0, prev_x1 = x1;
    PyObject *prev_text = first->text;
    for (Py_ssize_t k = 1; k < n; k++) {
        Char *c = &cs[idx[k]];
        double s = c->size;
        double width = s != 0.0 ? s : 10.0;
        int gap = c->x0 - prev_x1 > ratio * (width > 1.0 ? width : 1.0);
        if (gap) {
            if (space == NULL && (space = PyUnicode_FromString(" ")) == NULL)
                goto fail;
            if (PyList_Append(parts, space) < 0)
                goto fail;
        }
        if (!have_lead) {
            /* _can_break(prev_text[-1:], text[:1], gap) */
            Py_UCS4 a = PyUnicode_READ_CHAR(prev_text, PyUnicode_GET_LENGTH(prev_text) - 1);
            Py_UCS4 b = PyUnicode_READ_CHAR(c->text, 0);
            int can = 0;
            if (!in_points(b, no_start, n_no_start) && !in_points(a, no_end, n_no_end)) {
                can = gap;
                if (!can && (can = is_wide(a)) < 0)
                    goto fail;
                if (!can && (can = is_wide(b)) < 0)
                    goto fail;
                if (!can)
                    can = in_points(a, break_after, n_break_after);
            }
            if (can) {
                have_lead = 1;
                lead_end = prev_x1;
            }
        }
        if (PyList_Append(parts, c->text) < 0)
            goto fail;
        if (s > size)
            size = s;
        prev_x1 = c->x1;
        if (c->top < top) {
            top = c->top;
            topo = c->topo;
        }
        if (c->bottom > bottom) {
            bottom = c->bottom;
            bottomo = c->bottomo;
        }
        if (prev_x1 > x1) {
            x1 = prev_x1;
            x1o = c->x1o;
        }
        prev_text = c->text;
    }
    Py_XDECREF(space);
    space = NULL;
    if (!have_lead)
        lead_end = cs[idx[n - 1]].x1;
    PyObject *empty = PyUnicode_New(0, 0);
    if (empty == NULL)
        goto fail;
    PyObject *joined = PyUnicode_Join(empty, parts);
    Py_DECREF(empty);
    Py_DECREF(parts);
    if (joined == NULL)
        return NULL;
    PyObject *text = strip(joined);
    Py_DECREF(joined);
    if (text == NULL)
        return NULL;
    return make_line(text, first->x0o, topo, x1o, bottomo, size != 0.0 ? size : 10.0,
                     lead_end - first->x0);
fail:
    Py_XDECREF(space);
    Py_DECREF(parts);
    return NULL;
}

/* The n (> 0) characters cs clustered into rows (cluster_rows' lists of dicts) or, with
 * lines, into Lines (group_lines: an empty first row dropped). cs stays the caller's. */
static PyObject *
clustered(Char *cs, Py_ssize_t n, double tolerance, double ratio, int lines)
{
    PyObject *out = NULL;
    Py_ssize_t *idx = PyMem_Malloc(sizeof(Py_ssize_t) * (2 * n + 2));
    if (idx == NULL)
        return PyErr_NoMemory();
    Py_ssize_t *starts = idx + n;
    Py_ssize_t rows = cluster(cs, n, tolerance, idx, starts);
    if (rows < 0)
        goto done;
    Py_ssize_t skip = lines && starts[1] == 0;  /* group_lines drops an empty row */
    out = PyList_New(rows - skip);
    if (out == NULL)
        goto done;
    for (Py_ssize_t k = skip; k < rows; k++) {
        Py_ssize_t a = starts[k], b = starts[k + 1];
        PyObject *item;
        if (lines)
            item = one_line(cs, idx + a, b - a, ratio);
        else {
            item = PyList_New(b - a);
            if (item != NULL)
                for (Py_ssize_t i = a; i < b; i++) {
                    Py_INCREF(cs[idx[i]].d);
                    PyList_SET_ITEM(item, i - a, cs[idx[i]].d);
                }
        }
        if (item == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, k - skip, item);
    }
done:
    PyMem_Free(idx);
    return out;
}

static PyObject *
rows_or_lines(PyObject *args, int lines)
{
    PyObject *chars, *tol_o, *ratio_o = NULL;
    double tolerance, ratio = 0.0;
    if (lines) {
        if (!PyArg_ParseTuple(args, "OOO", &chars, &tol_o, &ratio_o))
            return NULL;
        if (LineType == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "setup() was not called");
            return NULL;
        }
    }
    else if (!PyArg_ParseTuple(args, "OO", &chars, &tol_o))
        return NULL;
    if (!read_double(tol_o, &tolerance) || (lines && !read_double(ratio_o, &ratio)))
        Py_RETURN_NOTIMPLEMENTED;
    Char *cs;
    Py_ssize_t n;
    int r = read_chars(chars, &cs, &n, lines ? NEED_TEXT | NEED_SIZE : 0);
    if (r < 0)
        return NULL;
    if (r == 0)
        Py_RETURN_NOTIMPLEMENTED;
    if (n == 0) {
        PyMem_Free(cs);
        return PyList_New(0);
    }
    PyObject *out = clustered(cs, n, tolerance, ratio, lines);
    PyMem_Free(cs);
    return out;
}

/* The text of a table cell from its characters: "" for none; the stripped text when the
 * lines hold fewer than two texts (cell_text's shortcut); else the lines (for cell_text);
 * NotImplemented when the characters are not ones this module takes. */
static PyObject *
cell_value(PyObject *got, double tolerance, double ratio)
{
    if (PyList_CheckExact(got) && PyList_GET_SIZE(got) == 0)
        return PyUnicode_New(0, 0);
    Char *cs;
    Py_ssize_t n;
    int r = read_chars(got, &cs, &n, NEED_TEXT | NEED_SIZE);
    if (r < 0)
        return NULL;
    if (r == 0)
        Py_RETURN_NOTIMPLEMENTED;
    if (n == 0) {
        PyMem_Free(cs);
        return PyUnicode_New(0, 0);
    }
    PyObject *out = clustered(cs, n, tolerance, ratio, 1);
    PyMem_Free(cs);
    if (out == NULL)
        return NULL;
    PyObject *first = NULL;
    Py_ssize_t texts = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(out); k++) {
        PyObject *text = PyTuple_GET_ITEM(PyList_GET_ITEM(out, k), 0);
        if (PyUnicode_GET_LENGTH(text) && texts++ == 0)
            first = text;
    }
    if (texts < 2) {
        PyObject *text = first != NULL ? first : PyUnicode_New(0, 0);
        if (first != NULL)
            Py_INCREF(first);
        Py_DECREF(out);
        out = text;
    }
    return out;
}

static PyObject *
table_texts(PyObject *self, PyObject *args)
{
    /* [[None if got is None else cell_value(got) for got in row] for row in row_chars] */
    PyObject *row_chars, *tol_o, *ratio_o;
    double tolerance, ratio;
    if (!PyArg_ParseTuple(args, "OOO", &row_chars, &tol_o, &ratio_o))
        return NULL;
    if (LineType == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "setup() was not called");
        return NULL;
    }
    if (!read_double(tol_o, &tolerance) || !read_double(ratio_o, &ratio)
        || !PyList_CheckExact(row_chars))
        Py_RETURN_NOTIMPLEMENTED;
    Py_ssize_t n_rows = PyList_GET_SIZE(row_chars);
    for (Py_ssize_t r = 0; r < n_rows; r++)
        if (!PyList_CheckExact(PyList_GET_ITEM(row_chars, r)))
            Py_RETURN_NOTIMPLEMENTED;
    PyObject *out = PyList_New(n_rows);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        PyObject *row = PyList_GET_ITEM(row_chars, r);
        Py_ssize_t len = PyList_GET_SIZE(row);
        PyObject *texts = PyList_New(len);
        if (texts == NULL)
            goto fail;
        PyList_SET_ITEM(out, r, texts);
        for (Py_ssize_t j = 0; j < len; j++) {
            PyObject *got = PyList_GET_ITEM(row, j), *value;
            if (got == Py_None) {
                Py_INCREF(Py_None);
                value = Py_None;
            }
            else if ((value = cell_value(got, tolerance, ratio)) == NULL)
                goto fail;
            PyList_SET_ITEM(texts, j, value);
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyObject *
band_chars(PyObject *self, PyObject *args)
{
    /* page_ruled.band_chars from the rules' heights ys */
    PyObject *ys_o, *chars;
    if (!PyArg_ParseTuple(args, "OO", &ys_o, &chars))
        return NULL;
    if (!PyList_CheckExact(ys_o))
        Py_RETURN_NOTIMPLEMENTED;
    Py_ssize_t n_ys = PyList_GET_SIZE(ys_o);
    for (Py_ssize_t k = 0; k < n_ys; k++)
        if (!PyFloat_CheckExact(PyList_GET_ITEM(ys_o, k)))
            Py_RETURN_NOTIMPLEMENTED;
    Char *cs;
    Py_ssize_t n;
    int r = read_chars(chars, &cs, &n, 0);
    if (r < 0)
        return NULL;
    if (r == 0)
        Py_RETURN_NOTIMPLEMENTED;
    PyObject *out = NULL;
    double *ys = PyMem_Malloc(sizeof(double) * (n_ys ? n_ys : 1));
    if (ys == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_ys; k++)
        ys[k] = PyFloat_AS_DOUBLE(PyList_GET_ITEM(ys_o, k));
    Py_ssize_t n_bands = n_ys > 1 ? n_ys - 1 : 0;
    out = PyList_New(n_bands);
    if (out == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < n_bands; k++) {
        PyObject *band = PyList_New(0);
        if (band == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, k, band);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t k = bisect_left(ys, 0, n_ys, cs[i].mid);
        if (0 < k && k < n_ys && PyList_Append(PyList_GET_ITEM(out, k - 1), cs[i].d) < 0) {
            Py_CLEAR(out);
            goto done;
        }
    }
done:
    PyMem_Free(ys);
    PyMem_Free(cs);
    return out;
}

static PyObject *
cluster_rows(PyObject *self, PyObject *args)
{
    return rows_or_lines(args, 0);
}

static PyObject *
group_lines(PyObject *self, PyObject *args)
{
    return rows_or_lines(args, 1);
}

/* ------------------------------------------------------------------ blank characters */

static PyObject *k_fontname;

static PyObject *
inked(PyObject *self, PyObject *args)
{
    /* ([c for c in chars if c["text"].strip()],
     *  the set of their c.get("fontname"), whether a text holds a code point in [lo, hi]) */
    PyObject *chars;
    unsigned int lo, hi;
    if (!PyArg_ParseTuple(args, "OII", &chars, &lo, &hi))
        return NULL;
    if (!PyList_CheckExact(chars))
        Py_RETURN_NOTIMPLEMENTED;
    Py_ssize_t n = PyList_GET_SIZE(chars);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = PyList_GET_ITEM(chars, i);
        if (!PyDict_CheckExact(d))
            Py_RETURN_NOTIMPLEMENTED;
        PyObject *t = PyDict_GetItemWithError(d, k_text);
        if (t == NULL) {
            if (PyErr_Occurred())
                return NULL;
            Py_RETURN_NOTIMPLEMENTED;
        }
        if (!PyUnicode_CheckExact(t))
            Py_RETURN_NOTIMPLEMENTED;
        PyObject *f = PyDict_GetItemWithError(d, k_fontname);
        if (f == NULL && PyErr_Occurred())
            return NULL;
        if (f != NULL && f != Py_None && !PyUnicode_CheckExact(f))
            Py_RETURN_NOTIMPLEMENTED;  /* (a font name that is not a str: its own hash) */
    }
    PyObject *out = PyList_New(0), *fonts = PySet_New(NULL);
    int pua = 0;
    if (out == NULL || fonts == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = PyList_GET_ITEM(chars, i);
        PyObject *t = PyDict_GetItem(d, k_text);
        Py_ssize_t len = PyUnicode_GET_LENGTH(t);
        int kind = PyUnicode_KIND(t);
        const void *data = PyUnicode_DATA(t);
        Py_ssize_t j = 0;
        while (j < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j)))
            j++;
        if (j == len)
            continue;
        if (PyList_Append(out, d) < 0)
            goto fail;
        PyObject *f = PyDict_GetItem(d, k_fontname);
        if (PySet_Add(fonts, f != NULL ? f : Py_None) < 0)
            goto fail;
        if (!pua && kind != PyUnicode_1BYTE_KIND)
            for (; j < len; j++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, j);
                if (lo <= ch && ch <= hi) {
                    pua = 1;
                    break;
                }
            }
    }
    return Py_BuildValue("(NNO)", out, fonts, pua ? Py_True : Py_False);
fail:
    Py_XDECREF(out);
    Py_XDECREF(fonts);
    return NULL;
}

/* ------------------------------------------------------------------ the character index */

typedef struct {
    PyObject_HEAD
    PyObject *chars;     /* the list indexed */
    Py_ssize_t n;
    Py_ssize_t *order;   /* character numbers in the order of middles */
    double *mids;        /* middles in that order */
    double *xs;          /* horizontal centres, by character number */
    char *taken;         /* by character number */
} CharIndex;

static void
index_free_arrays(CharIndex *self)
{
    PyMem_Free(self->order);
    PyMem_Free(self->mids);
    PyMem_Free(self->xs);
    PyMem_Free(self->taken);
    self->order = NULL;
    self->mids = self->xs = NULL;
    self->taken = NULL;
}

static int
index_traverse(CharIndex *self, visitproc visit, void *arg)
{
    Py_VISIT(self->chars);
    return 0;
}

static int
index_clear(CharIndex *self)
{
    Py_CLEAR(self->chars);
    return 0;
}

static void
index_dealloc(CharIndex *self)
{
    PyObject_GC_UnTrack(self);
    index_clear(self);
    index_free_arrays(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject CharIndexType;

/* char_index(chars): the index, or None when ``chars`` is not a list this module takes */
static PyObject *
char_index(PyObject *module, PyObject *chars)
{
    if (!PyList_CheckExact(chars))
        Py_RETURN_NONE;
    Char *cs;
    Py_ssize_t n;
    int r = read_chars(chars, &cs, &n, 0);
    if (r < 0)
        return NULL;
    if (r == 0)
        Py_RETURN_NONE;
    CharIndex *self = PyObject_GC_New(CharIndex, &CharIndexType);
    if (self == NULL) {
        PyMem_Free(cs);
        return NULL;
    }
    Py_INCREF(chars);
    self->chars = chars;
    self->n = n;
    Py_ssize_t m = n ? n : 1;
    self->order = PyMem_Malloc(sizeof(Py_ssize_t) * m);
    self->mids = PyMem_Malloc(sizeof(double) * m);
    self->xs = PyMem_Malloc(sizeof(double) * m);
    self->taken = PyMem_Calloc(m, 1);
    double *mids = PyMem_Malloc(sizeof(double) * m);
    Py_ssize_t *tmp = PyMem_Malloc(sizeof(Py_ssize_t) * m);
    if (!self->order || !self->mids || !self->xs || !self->taken || !mids || !tmp) {
        PyMem_Free(mids);
        PyMem_Free(tmp);
        PyMem_Free(cs);
        PyObject_GC_Track(self);
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        mids[i] = cs[i].mid;
        self->xs[i] = (cs[i].x0 + cs[i].x1) / 2;
        self->order[i] = i;
    }
    PyMem_Free(cs);
    for (Py_ssize_t i = 0; i < n; i++)
        if (isnan(self->xs[i])) {
            PyMem_Free(mids);
            PyMem_Free(tmp);
            PyObject_GC_Track(self);
            Py_DECREF(self);
            Py_RETURN_NONE;
        }
    sort_by(self->order, tmp, n, mids, 1);
    for (Py_ssize_t k = 0; k < n; k++)
        self->mids[k] = mids[self->order[k]];
    PyMem_Free(mids);
    PyMem_Free(tmp);
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

/* a cell coordinate: an exact float or an int a double holds exactly (not NaN) */
static int
coordinate(PyObject *o, double *v)
{
    if (PyFloat_CheckExact(o)) {
        *v = PyFloat_AS_DOUBLE(o);
        return !isnan(*v);
    }
    if (PyLong_CheckExact(o)) {
        int overflow;
        long long x = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (x == -1 && PyErr_Occurred())
            return -1;
        if (overflow || x > (1LL << 53) || x < -(1LL << 53))
            return 0;
        *v = (double)x;
        return 1;
    }
    return 0;
}

static PyObject *
index_take_rows(CharIndex *self, PyObject *args)
{
    PyObject *rows, *slack_o;
    double slack;
    if (!PyArg_ParseTuple(args, "OO", &rows, &slack_o))
        return NULL;
    if (!read_double(slack_o, &slack) || !isfinite(slack) || self->chars == NULL
        || PyList_GET_SIZE(self->chars) != self->n
        || (!PyList_CheckExact(rows) && !PyTuple_CheckExact(rows)))
        Py_RETURN_NOTIMPLEMENTED;
    /* first every cell read (nothing taken yet when one cannot be) */
    Py_ssize_t n_rows = PySequence_Fast_GET_SIZE(rows), n_cells = 0;
    PyObject **row_items = PySequence_Fast_ITEMS(rows);
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        PyObject *row = row_items[r];
        if (!PyList_CheckExact(row) && !PyTuple_CheckExact(row))
            Py_RETURN_NOTIMPLEMENTED;
        n_cells += PySequence_Fast_GET_SIZE(row);
    }
    double *boxes = PyMem_Malloc(sizeof(double) * 4 * (n_cells ? n_cells : 1));
    Py_ssize_t n = self->n;
    Py_ssize_t *band = PyMem_Malloc(sizeof(Py_ssize_t) * 3 * (n ? n : 1));
    double *band_xs = PyMem_Malloc(sizeof(double) * (n ? n : 1));
    PyObject *out = NULL;
    if (boxes == NULL || band == NULL || band_xs == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t *tmp = band + n, *ks = band + 2 * n;
    Py_ssize_t c = 0;
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        PyObject *row = row_items[r];
        Py_ssize_t len = PySequence_Fast_GET_SIZE(row);
        PyObject **cells = PySequence_Fast_ITEMS(row);
        for (Py_ssize_t j = 0; j < len; j++, c++) {
            PyObject *cell = cells[j];
            if (cell == Py_None)
                continue;
            if ((!PyTuple_CheckExact(cell) && !PyList_CheckExact(cell))
                || PySequence_Fast_GET_SIZE(cell) < 4)
                goto not_taken;
            PyObject **v = PySequence_Fast_ITEMS(cell);
            for (int q = 0; q < 4; q++) {
                int ok = coordinate(v[q], &boxes[4 * c + q]);
                if (ok < 0)
                    goto done;
                if (ok == 0)
                    goto not_taken;
            }
        }
    }
    out = PyList_New(n_rows);
    if (out == NULL)
        goto done;
    const double *mids = self->mids, *xs = self->xs;
    const Py_ssize_t *order = self->order;
    char *taken = self->taken;
    PyObject **chars = PySequence_Fast_ITEMS(self->chars);
    c = 0;
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        PyObject *row = row_items[r];
        Py_ssize_t len = PySequence_Fast_GET_SIZE(row);
        PyObject **cells = PySequence_Fast_ITEMS(row);
        PyObject *got_row = PyList_New(len);
        if (got_row == NULL)
            goto fail;
        PyList_SET_ITEM(out, r, got_row);
        int any = 0;
        double lo_v = 0.0, hi_v = 0.0;
        for (Py_ssize_t j = 0; j < len; j++) {
            if (cells[j] == Py_None)
                continue;
            const double *b = &boxes[4 * (c + j)];
            if (!any || b[1] < lo_v)
                lo_v = b[1];
            if (!any || b[3] > hi_v)
                hi_v = b[3];
            any = 1;
        }
        if (!any) {
            for (Py_ssize_t j = 0; j < len; j++) {
                Py_INCREF(Py_None);
                PyList_SET_ITEM(got_row, j, Py_None);
            }
            c += len;
            continue;
        }
        Py_ssize_t lo = bisect_left(mids, 0, n, lo_v - slack);
        Py_ssize_t hi = bisect_right(mids, 0, n, hi_v + slack);
        Py_ssize_t nb = 0;
        for (Py_ssize_t k = lo; k < hi; k++)
            if (!taken[order[k]])
                band[nb++] = k;
        /* sorted((xs[order[k]], k) ...): stable by x, k rising */
        for (Py_ssize_t q = 0; q < nb; q++)
            band_xs[q] = xs[order[band[q]]];
        if (nb > 1) {
            /* sort positions 0..nb by band_xs, then permute */
            Py_ssize_t *pos = ks;
            for (Py_ssize_t q = 0; q < nb; q++)
                pos[q] = q;
            sort_by(pos, tmp, nb, band_xs, 1);
            for (Py_ssize_t q = 0; q < nb; q++)
                tmp[q] = band[pos[q]];
            memcpy(band, tmp, sizeof(Py_ssize_t) * nb);
            for (Py_ssize_t q = 0; q < nb; q++)
                band_xs[q] = xs[order[band[q]]];
        }
        for (Py_ssize_t j = 0; j < len; j++, c++) {
            if (cells[j] == Py_None) {
                Py_INCREF(Py_None);
                PyList_SET_ITEM(got_row, j, Py_None);
                continue;
            }
            const double *b = &boxes[4 * c];
            double top = b[1] - slack, bottom = b[3] + slack;
            Py_ssize_t a = bisect_left(band_xs, 0, nb, b[0] - slack);
            Py_ssize_t z = bisect_right(band_xs, 0, nb, b[2] + slack);
            Py_ssize_t m = 0;
            for (Py_ssize_t q = a; q < z; q++) {
                Py_ssize_t k = band[q];
                if (top <= mids[k] && mids[k] <= bottom && !taken[order[k]])
                    ks[m++] = k;
            }
            if (m > 1)
                qsort(ks, m, sizeof(Py_ssize_t), cmp_ssize);
            PyObject *got = PyList_New(m);
            if (got == NULL)
                goto fail;
            for (Py_ssize_t q = 0; q < m; q++) {
                Py_ssize_t i = order[ks[q]];
                taken[i] = 1;
                Py_INCREF(chars[i]);
                PyList_SET_ITEM(got, q, chars[i]);
            }
            PyList_SET_ITEM(got_row, j, got);
        }
    }
    goto done;
not_taken:
    PyMem_Free(boxes);
    PyMem_Free(band);
    PyMem_Free(band_xs);
    Py_RETURN_NOTIMPLEMENTED;
fail:
    Py_CLEAR(out);
done:
    PyMem_Free(boxes);
    PyMem_Free(band);
    PyMem_Free(band_xs);
    return out;
}

static PyObject *
index_free(CharIndex *self, PyObject *unused)
{
    /* [c for i, c in enumerate(self.chars) if i not in self.taken] */
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t len = PyList_GET_SIZE(self->chars);
    for (Py_ssize_t i = 0; i < len; i++) {
        if (i < self->n && self->taken[i])
            continue;
        if (PyList_Append(out, PyList_GET_ITEM(self->chars, i)) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *
index_get_taken(CharIndex *self, PyObject *unused)
{
    PyObject *out = PySet_New(NULL);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < self->n; i++) {
        if (!self->taken[i])
            continue;
        PyObject *k = PyLong_FromSsize_t(i);
        if (k == NULL || PySet_Add(out, k) < 0) {
            Py_XDECREF(k);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(k);
    }
    return out;
}

static PyObject *
index_set_taken(CharIndex *self, PyObject *numbers)
{
    /* the characters taken: exactly ``numbers`` (ints in range) */
    PyObject *it = PyObject_GetIter(numbers);
    if (it == NULL)
        return NULL;
    char *taken = PyMem_Calloc(self->n ? self->n : 1, 1);
    if (taken == NULL) {
        Py_DECREF(it);
        return PyErr_NoMemory();
    }
    PyObject *o;
    while ((o = PyIter_Next(it)) != NULL) {
        Py_ssize_t i = PyLong_AsSsize_t(o);
        Py_DECREF(o);
        if (i == -1 && PyErr_Occurred())
            break;
        if (i < 0 || i >= self->n) {
            PyErr_SetString(PyExc_IndexError, "character number out of range");
            break;
        }
        taken[i] = 1;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        PyMem_Free(taken);
        return NULL;
    }
    memcpy(self->taken, taken, self->n);
    PyMem_Free(taken);
    Py_RETURN_NONE;
}

static PyMethodDef index_methods[] = {
    {"take_rows", (PyCFunction)index_take_rows, METH_VARARGS,
     "take_rows(rows, slack): as page_blocks._CharIndex.take_rows, or NotImplemented"},
    {"free", (PyCFunction)index_free, METH_NOARGS, "the characters not taken"},
    {"taken", (PyCFunction)index_get_taken, METH_NOARGS, "the numbers of the characters taken"},
    {"set_taken", (PyCFunction)index_set_taken, METH_O, "set the characters taken"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CharIndexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "certreport.extract._layout.CharIndex",
    .tp_basicsize = sizeof(CharIndex),
    .tp_dealloc = (destructor)index_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A page's characters by vertical middle (made by char_index).",
    .tp_traverse = (traverseproc)index_traverse,
    .tp_clear = (inquiry)index_clear,
    .tp_methods = index_methods,
};

/* ------------------------------------------------------------------ the module */

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS,
     "setup(Line, NO_START, NO_END, BREAK_AFTER, east_asian_width): what the lines need"},
    {"cluster_rows", cluster_rows, METH_VARARGS,
     "cluster_rows(chars, tolerance): as page_lines.cluster_rows, or NotImplemented"},
    {"group_lines", group_lines, METH_VARARGS,
     "group_lines(chars, line_tolerance, space_ratio): as page_lines.group_lines, or "
     "NotImplemented"},
    {"table_texts", table_texts, METH_VARARGS,
     "table_texts(row_chars, line_tolerance, space_ratio): for each cell's characters (a "
     "list, or None) None, its text when its lines hold fewer than two texts, else its lines "
     "(for cell_text), or NotImplemented for characters not taken; NotImplemented for all"},
    {"band_chars", band_chars, METH_VARARGS,
     "band_chars(ys, chars): as page_ruled.band_chars on rules at heights ys, or "
     "NotImplemented"},
    {"inked", inked, METH_VARARGS,
     "inked(chars, lo, hi): the characters whose text is not blank, the set of their font "
     "names, whether one of their texts holds a code point in [lo, hi]; or NotImplemented"},
    {"char_index", char_index, METH_O,
     "char_index(chars): a CharIndex of the list, or None when it holds other inputs"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_layout",
    "The page layout's per-character loops in C (see page_lines and page_blocks).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__layout(void)
{
    if (PyType_Ready(&CharIndexType) < 0)
        return NULL;
    if (!(k_text = PyUnicode_InternFromString("text")) || !(k_x0 = PyUnicode_InternFromString("x0"))
        || !(k_x1 = PyUnicode_InternFromString("x1"))
        || !(k_top = PyUnicode_InternFromString("top"))
        || !(k_bottom = PyUnicode_InternFromString("bottom"))
        || !(k_size = PyUnicode_InternFromString("size"))
        || !(k_fontname = PyUnicode_InternFromString("fontname")))
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&CharIndexType);
    if (PyModule_AddObject(m, "CharIndex", (PyObject *)&CharIndexType) < 0) {
        Py_DECREF(&CharIndexType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
