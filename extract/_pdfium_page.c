/* A PDF page's characters and drawn paths from PDFium, in C: the loops of
 * certreport.extract.pdf_pdfium._chars_python and shapes_python without a ctypes call
 * per character, object and path segment.
 *
 * The Python functions are the reference and the fallback where this module is not
 * built; tests/test_pdfium_native.py holds both to the same output on every committed
 * PDF page. PDFium's functions are not linked: their addresses come from the library
 * pypdfium2 has loaded (bind()), so the module needs no PDFium headers or library at
 * build time. Arithmetic is done in double in the order the Python code does it (the
 * build turns off contraction into fused multiply-adds), so the floats are the same.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } RectF;   /* FS_RECTF */
typedef struct { float a, b, c, d, e, f; } MatrixF;         /* FS_MATRIX */

typedef int (*count_chars_f)(void *);
typedef int (*get_text_f)(void *, int, int, unsigned short *);
typedef unsigned int (*get_unicode_f)(void *, int);
typedef int (*loose_box_f)(void *, int, RectF *);
typedef int (*origin_f)(void *, int, double *, double *);
typedef int (*char_matrix_f)(void *, int, MatrixF *);
typedef double (*font_size_f)(void *, int);
typedef void *(*text_object_f)(void *, int);
typedef int (*map_error_f)(void *, int);
typedef void *(*obj_font_f)(void *);
typedef size_t (*font_name_f)(void *, char *, size_t);

typedef int (*page_count_objects_f)(void *);
typedef void *(*page_object_f)(void *, int);
typedef int (*form_count_f)(void *);
typedef void *(*form_object_f)(void *, unsigned long);
typedef int (*object_type_f)(void *);
typedef int (*obj_matrix_f)(void *, MatrixF *);
typedef int (*draw_mode_f)(void *, int *, int *);
typedef int (*count_segments_f)(void *);
typedef void *(*segment_f)(void *, int);
typedef int (*segment_type_f)(void *);
typedef int (*segment_point_f)(void *, float *, float *);
typedef int (*segment_close_f)(void *);
typedef int (*stroke_width_f)(void *, float *);
typedef int (*colour_f)(void *, unsigned int *, unsigned int *, unsigned int *, unsigned int *);

/* bind() order: the names pdf_pdfium passes, in this order */
static struct {
    count_chars_f count_chars;
    get_text_f get_text;
    get_unicode_f get_unicode;
    loose_box_f loose_box;
    origin_f origin;
    char_matrix_f char_matrix;
    font_size_f font_size;
    text_object_f text_object;
    map_error_f map_error;
    obj_font_f obj_font;
    font_name_f font_name;
    page_count_objects_f page_count_objects;
    page_object_f page_object;
    form_count_f form_count;
    form_object_f form_object;
    object_type_f object_type;
    obj_matrix_f obj_matrix;
    draw_mode_f draw_mode;
    count_segments_f count_segments;
    segment_f segment;
    segment_type_f segment_type;
    segment_point_f segment_point;
    segment_close_f segment_close;
    stroke_width_f stroke_width;
    colour_f fill_colour;
    colour_f stroke_colour;
} F;
#define N_FUNCS 26

/* FPDF_PAGEOBJ_* and FPDF_SEGMENT_* (fpdf_edit.h) */
#define OBJ_PATH 2
#define OBJ_IMAGE 3
#define OBJ_FORM 5
#define SEG_LINETO 0
#define SEG_BEZIERTO 1
#define SEG_MOVETO 2
#define MAX_FORM_DEPTH 64
static int bound = 0;

static PyObject *k_text, *k_x0, *k_x1, *k_top, *k_bottom, *k_size, *k_fontname;
static PyObject *s_unknown;

#define NAME_BUF 256

/* ------------------------------------------------------------------ fonts of a page */

typedef struct {
    void *font;
    int name;          /* index into names */
} FontEntry;

typedef struct {
    FontEntry *fonts;
    Py_ssize_t nfonts, capfonts;
    PyObject **names;  /* distinct names (new references) */
    long *clean;       /* per name: glyphs proved mapped, or a large negative number */
    Py_ssize_t nnames, capnames;
} Fonts;

static void fonts_free(Fonts *fs) {
    for (Py_ssize_t i = 0; i < fs->nnames; i++) Py_DECREF(fs->names[i]);
    PyMem_Free(fs->fonts);
    PyMem_Free(fs->names);
    PyMem_Free(fs->clean);
}

/* The index of a name among the page's names (added when new); -1 on error. */
static int name_index(Fonts *fs, PyObject *name) {
    for (Py_ssize_t i = 0; i < fs->nnames; i++) {
        int eq = PyUnicode_Compare(fs->names[i], name);
        if (eq == -1 && PyErr_Occurred()) return -1;
        if (eq == 0) return (int)i;
    }
    if (fs->nnames == fs->capnames) {
        Py_ssize_t cap = fs->capnames ? 2 * fs->capnames : 8;
        PyObject **names = PyMem_Realloc(fs->names, cap * sizeof(PyObject *));
        if (!names) { PyErr_NoMemory(); return -1; }
        fs->names = names;
        long *clean = PyMem_Realloc(fs->clean, cap * sizeof(long));
        if (!clean) { PyErr_NoMemory(); return -1; }
        fs->clean = clean;
        fs->capnames = cap;
    }
    Py_INCREF(name);
    fs->names[fs->nnames] = name;
    fs->clean[fs->nnames] = 0;
    return (int)fs->nnames++;
}

/* The name index of a font handle (NULL: "unknown"), asked of PDFium once a page. */
static int font_of(Fonts *fs, void *font) {
    if (!font) return name_index(fs, s_unknown);
    for (Py_ssize_t i = 0; i < fs->nfonts; i++)
        if (fs->fonts[i].font == font) return fs->fonts[i].name;
    char buf[NAME_BUF];
    memset(buf, 0, sizeof buf);
    size_t n = F.font_name(font, buf, NAME_BUF);
    PyObject *name = (n > 0 && n <= NAME_BUF)
        ? PyUnicode_DecodeUTF8(buf, (Py_ssize_t)(n - 1), "replace")
        : PyUnicode_FromStringAndSize("", 0);
    if (!name) return -1;
    if (PyUnicode_GET_LENGTH(name) == 0) {
        Py_DECREF(name);
        name = s_unknown;
        Py_INCREF(name);
    }
    int idx = name_index(fs, name);
    Py_DECREF(name);
    if (idx < 0) return -1;
    if (fs->nfonts == fs->capfonts) {
        Py_ssize_t cap = fs->capfonts ? 2 * fs->capfonts : 8;
        FontEntry *fonts = PyMem_Realloc(fs->fonts, cap * sizeof(FontEntry));
        if (!fonts) { PyErr_NoMemory(); return -1; }
        fs->fonts = fonts;
        fs->capfonts = cap;
    }
    fs->fonts[fs->nfonts].font = font;
    fs->fonts[fs->nfonts].name = idx;
    fs->nfonts++;
    return idx;
}

/* ------------------------------------------------------------------ runs (text objects) */

typedef struct {
    void *obj;
    int used;
    int name;
    double size, base, top, left;
} Run;

typedef struct {
    Run *slots;
    size_t mask;
} Runs;

static Run *run_slot(Runs *rs, void *obj) {
    size_t h = ((uintptr_t)obj >> 4) * (size_t)0x9E3779B97F4A7C15ULL;
    for (size_t i = h & rs->mask;; i = (i + 1) & rs->mask) {
        Run *r = &rs->slots[i];
        if (!r->used || r->obj == obj) return r;
    }
}

/* ------------------------------------------------------------------ helpers */

static PyObject *char_dict(PyObject *text, double x0, double x1, double top, double bottom,
                           double size, PyObject *name) {
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    PyObject *v;
#define PUT(key, expr) \
    v = (expr); \
    if (!v || PyDict_SetItem(d, key, v) < 0) { Py_XDECREF(v); Py_DECREF(d); return NULL; } \
    Py_DECREF(v);
    Py_INCREF(text);
    PUT(k_text, text);
    PUT(k_x0, PyFloat_FromDouble(x0));
    PUT(k_x1, PyFloat_FromDouble(x1));
    PUT(k_top, PyFloat_FromDouble(top));
    PUT(k_bottom, PyFloat_FromDouble(bottom));
    PUT(k_size, PyFloat_FromDouble(size));
    Py_INCREF(name);
    PUT(k_fontname, name);
#undef PUT
    return d;
}

/* Python's str.isspace() of one code point, or the reference's rule for keeping it */
static int keep_code(Py_UCS4 ch) {
    if (ch == 0) return 1;              /* a glyph with nothing to say what it is */
    return ch > 0x20 && !Py_UNICODE_ISSPACE(ch);
}

/* The text page's code points, one per character: from one FPDFText_GetText call when
 * its UTF-16 units are one per character (decoded as Python's utf-16 "replace" decodes
 * them), else from FPDFText_GetUnicode for each (pdf_pdfium.code_texts). Returns a
 * PyMem buffer or NULL. */
static Py_UCS4 *page_codes(void *tp, int n) {
    Py_UCS4 *codes = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)n);
    unsigned short *buf = PyMem_Calloc((size_t)n + 1, sizeof(unsigned short));
    if (!codes || !buf) {
        PyMem_Free(codes);
        PyMem_Free(buf);
        PyErr_NoMemory();
        return NULL;
    }
    int got = F.get_text(tp, 0, n, buf);
    int units = got - 1 > 0 ? got - 1 : 0;
    int per_char = units != n;
    for (int i = 0; i < n && !per_char; i++) {
        unsigned short u = buf[i];
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units && buf[i + 1] >= 0xDC00
            && buf[i + 1] <= 0xDFFF)
            per_char = 1;                /* a pair: fewer characters than units */
        else if (u >= 0xD800 && u <= 0xDFFF)
            codes[i] = 0xFFFD;           /* a lone surrogate decodes as U+FFFD */
        else
            codes[i] = u;
    }
    if (per_char) {  /* as pdf_pdfium.code_texts: a pair is one character, the first */
        for (int i = 0; i < n; i++) codes[i] = F.get_unicode(tp, i);
        for (int i = 0; i < n; i++) {
            Py_UCS4 code = codes[i];
            if (code >= 0xD800 && code <= 0xDBFF && i + 1 < n && codes[i + 1] >= 0xDC00
                && codes[i + 1] <= 0xDFFF) {
                codes[i] = 0x10000 + ((code - 0xD800) << 10) + codes[i + 1] - 0xDC00;
                codes[++i] = 0x20;
            } else if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                codes[i] = 0xFFFD;
            }
        }
    }
    PyMem_Free(buf);
    return codes;
}

/* ------------------------------------------------------------------ chars() */

static PyObject *chars(PyObject *self, PyObject *args) {
    unsigned long long tp_addr;
    (void)self;
    double a, b, c, d, e, f, height;
    int map_checks;
    if (!PyArg_ParseTuple(args, "K(dddddd)di", &tp_addr, &a, &b, &c, &d, &e, &f, &height,
                          &map_checks))
        return NULL;
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "bind() the PDFium functions first");
        return NULL;
    }
    void *tp = (void *)(uintptr_t)tp_addr;
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    int n = F.count_chars(tp);
    if (n <= 0) return out;

    Py_UCS4 *codes = NULL;
    int *keep = NULL;
    Fonts fonts = {0};
    Runs runs = {0};
    PyObject *unmapped = NULL, *text = NULL;
    int ok = 0;

    codes = page_codes(tp, n);
    if (!codes) goto done;
    keep = PyMem_Malloc(sizeof(int) * (size_t)n);
    if (!keep) { PyErr_NoMemory(); goto done; }
    int nkeep = 0;
    for (int i = 0; i < n; i++)
        if (keep_code(codes[i])) keep[nkeep++] = i;
    if (!nkeep) { ok = 1; goto done; }
    size_t cap = 16;
    while (cap < 2 * (size_t)nkeep) cap <<= 1;
    runs.slots = PyMem_Calloc(cap, sizeof(Run));
    if (!runs.slots) { PyErr_NoMemory(); goto done; }
    runs.mask = cap - 1;
    unmapped = PyUnicode_FromOrdinal(0xFFFD);
    if (!unmapped) goto done;

    double ox = 0.0, oy = 0.0;
    MatrixF mat = {0};
    int upright = b == 0.0 && c == 0.0 && a == 1.0 && d == 1.0;
    int have_last = 0;
    void *last_obj = NULL;
    double size = 0.0, base = 0.0, top = 0.0, first_left = 0.0;
    int name = 0;
    for (int k = 0; k < nkeep; k++) {
        int i = keep[k];
        RectF box = {0};
        F.loose_box(tp, i, &box);
        void *obj = F.text_object(tp, i);
        double left = box.left;
        int along;
        if (have_last && obj == last_obj) {
            along = left != first_left;  /* a later character of a run (else: vertical) */
        } else {
            Run *r = run_slot(&runs, obj);
            if (!r->used) {  /* a text object's first character: size, font, baseline */
                size = F.font_size(tp, i);
                if (F.char_matrix(tp, i, &mat)) {
                    double mc = mat.c, md = mat.d;
                    size *= pow(mc * mc + md * md, 0.5);
                }
                F.origin(tp, i, &ox, &oy);
                base = height - (oy + f);
                top = base - size;
                name = font_of(&fonts, obj ? F.obj_font(obj) : NULL);
                if (name < 0) goto done;
                first_left = left;
                r->used = 1;
                r->obj = obj;
                r->name = name;
                r->size = size;
                r->base = base;
                r->top = top;
                r->left = left;
                along = 1;
            } else {
                size = r->size;
                name = r->name;
                base = r->base;
                top = r->top;
                first_left = r->left;
                along = left != first_left;
            }
            last_obj = obj;
            have_last = 1;
        }
        Py_UCS4 code = codes[i];
        if (code == 0) code = 0xFFFD;
        long checked = fonts.clean[name];
        if (checked < map_checks) {
            if (code == 0xFFFD || F.map_error(tp, i) == 1) {
                code = 0xFFFD;
                fonts.clean[name] = -(1L << 30);  /* this font lacks a map: check all */
            } else {
                fonts.clean[name] = checked + 1;
            }
        }
        if (code == 0xFFFD) {
            text = unmapped;
            Py_INCREF(text);
        } else {
            text = PyUnicode_FromOrdinal((int)code);
            if (!text) goto done;
        }
        PyObject *fontname = fonts.names[name];
        PyObject *item;
        if (upright && along) {
            /* horizontal text: advance width left to right, font size above the baseline */
            item = char_dict(text, left + e, (double)box.right + e, top, base, size, fontname);
        } else {
            /* vertical writing, a rotated page: PDFium's box, transformed */
            double right = box.right, btm = box.bottom, tp_ = box.top;
            double px[4] = {left, right, left, right};
            double py[4] = {btm, tp_, tp_, btm};
            double xs[4], ys[4];
            for (int q = 0; q < 4; q++) {
                xs[q] = a * px[q] + c * py[q] + e;
                ys[q] = b * px[q] + d * py[q] + f;
            }
            double xmin = xs[0], xmax = xs[0], ymin = ys[0], ymax = ys[0];
            for (int q = 1; q < 4; q++) {  /* Python's min and max: replaced only when < / > */
                if (xs[q] < xmin) xmin = xs[q];
                if (xs[q] > xmax) xmax = xs[q];
                if (ys[q] < ymin) ymin = ys[q];
                if (ys[q] > ymax) ymax = ys[q];
            }
            item = char_dict(text, xmin, xmax, height - ymax, height - ymin, size, fontname);
        }
        Py_CLEAR(text);
        if (!item) goto done;
        int bad = PyList_Append(out, item);
        Py_DECREF(item);
        if (bad < 0) goto done;
    }
    ok = 1;
done:
    Py_XDECREF(text);
    Py_XDECREF(unmapped);
    PyMem_Free(codes);
    PyMem_Free(keep);
    PyMem_Free(runs.slots);
    fonts_free(&fonts);
    if (!ok) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* ------------------------------------------------------------------ shapes() */

typedef struct { double a, b, c, d, e, f; } Mat;

static PyObject *s_m, *s_l, *s_c, *s_h;

/* The matrix applying m first, then n (pdf_pdfium._mul). */
static Mat mul(Mat m, Mat n) {
    Mat r = {m.a * n.a + m.b * n.c, m.a * n.b + m.b * n.d, m.c * n.a + m.d * n.c,
             m.c * n.b + m.d * n.d, m.e * n.a + m.f * n.c + n.e, m.e * n.b + m.f * n.d + n.f};
    return r;
}

static Mat obj_matrix(void *obj) {
    MatrixF mf = {0};
    Mat identity = {1.0, 0.0, 0.0, 1.0, 0.0, 0.0};
    if (!F.obj_matrix(obj, &mf)) return identity;
    Mat r = {mf.a, mf.b, mf.c, mf.d, mf.e, mf.f};
    return r;
}

/* What persists between calls on one page, as the reference's _Scratch does. */
typedef struct {
    float point[2];
    float width;
    PyObject *paths;
    long images;
} Walk;

static PyObject *colour(colour_f get, void *obj) {
    unsigned int r = 0, g = 0, b = 0, alpha = 0;
    if (!get(obj, &r, &g, &b, &alpha)) Py_RETURN_NONE;
    return Py_BuildValue("(ddd)", (double)r / 255.0, (double)g / 255.0, (double)b / 255.0);
}

static int op(PyObject *ops, PyObject *name, double x, double y) {
    PyObject *item = Py_BuildValue("(O(dd))", name, x, y);
    if (!item) return -1;
    int bad = PyList_Append(ops, item);
    Py_DECREF(item);
    return bad;
}

/* One path object (pdf_pdfium._path up to its subpaths): appended to walk->paths as
 * (fill, stroke, width, fill colour, stroke colour, operators). */
static int path(void *obj, Mat m, Walk *w) {
    int fillmode = 0, stroke = 0;
    if (!F.draw_mode(obj, &fillmode, &stroke)) return 0;
    int fill = fillmode != 0;
    stroke = stroke != 0;
    if (!fill && !stroke) return 0;  /* a clipping path: nothing drawn */
    Mat t = mul(obj_matrix(obj), m);
    PyObject *ops = PyList_New(0);
    if (!ops) return -1;
    int bezier = 0;
    int count = F.count_segments(obj);
    for (int k = 0; k < count; k++) {
        void *seg = F.segment(obj, k);
        int kind = F.segment_type(seg);
        F.segment_point(seg, &w->point[0], &w->point[1]);
        double x = w->point[0], y = w->point[1];
        double px = t.a * x + t.c * y + t.e, py = t.b * x + t.d * y + t.f;
        int bad = 0;
        if (kind == SEG_MOVETO) {
            bad = op(ops, s_m, px, py);
            bezier = 0;
        } else if (kind == SEG_BEZIERTO) {  /* control, control, end: one c */
            bezier += 1;
            if (bezier == 3) {
                bad = op(ops, s_c, px, py);
                bezier = 0;
            }
        } else {
            bad = op(ops, s_l, px, py);
            bezier = 0;
        }
        if (!bad && F.segment_close(seg)) bad = op(ops, s_h, px, py);
        if (bad) {
            Py_DECREF(ops);
            return -1;
        }
    }
    if (PyList_GET_SIZE(ops) == 0) {
        Py_DECREF(ops);
        return 0;
    }
    F.stroke_width(obj, &w->width);
    PyObject *fc = colour(F.fill_colour, obj);
    PyObject *sc = fc ? colour(F.stroke_colour, obj) : NULL;
    if (!sc) {
        Py_XDECREF(fc);
        Py_DECREF(ops);
        return -1;
    }
    /* N hands the references over, also when building fails */
    PyObject *item = Py_BuildValue("(OOdNNN)", fill ? Py_True : Py_False,
                                   stroke ? Py_True : Py_False, (double)w->width, fc, sc, ops);
    if (!item) return -1;
    int bad = PyList_Append(w->paths, item);
    Py_DECREF(item);
    return bad;
}

/* Paths and images of a page (form NULL) or a form XObject, forms walked with their
 * matrix (pdf_pdfium._objects_python). */
static int objects(void *owner, int is_form, Mat m, Walk *w, int depth) {
    if (depth > MAX_FORM_DEPTH) {
        PyErr_SetString(PyExc_RecursionError, "form XObjects nested too deep");
        return -1;
    }
    int count = is_form ? F.form_count(owner) : F.page_count_objects(owner);
    for (int k = 0; k < count; k++) {
        void *handle = is_form ? F.form_object(owner, (unsigned long)k) : F.page_object(owner, k);
        if (!handle) continue;
        int kind = F.object_type(handle);
        if (kind == OBJ_PATH) {
            if (path(handle, m, w) < 0) return -1;
        } else if (kind == OBJ_IMAGE) {
            w->images += 1;
        } else if (kind == OBJ_FORM) {
            if (objects(handle, 1, mul(obj_matrix(handle), m), w, depth + 1) < 0) return -1;
        }
    }
    return 0;
}

static PyObject *shapes(PyObject *self, PyObject *args) {
    unsigned long long page_addr;
    Mat m;
    (void)self;
    if (!PyArg_ParseTuple(args, "K(dddddd)", &page_addr, &m.a, &m.b, &m.c, &m.d, &m.e, &m.f))
        return NULL;
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "bind() the PDFium functions first");
        return NULL;
    }
    Walk w = {{0.0f, 0.0f}, 0.0f, PyList_New(0), 0};
    if (!w.paths) return NULL;
    if (objects((void *)(uintptr_t)page_addr, 0, m, &w, 0) < 0) {
        Py_DECREF(w.paths);
        return NULL;
    }
    return Py_BuildValue("(lN)", w.images, w.paths);
}

/* ------------------------------------------------------------------ bind() */

static PyObject *bind(PyObject *self, PyObject *args) {
    PyObject *seq;
    (void)self;
    if (!PyArg_ParseTuple(args, "O", &seq)) return NULL;
    PyObject *fast = PySequence_Fast(seq, "bind() takes a sequence of addresses");
    if (!fast) return NULL;
    if (PySequence_Fast_GET_SIZE(fast) != N_FUNCS) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "bind() takes %d addresses", N_FUNCS);
        return NULL;
    }
    void *p[N_FUNCS];
    for (int i = 0; i < N_FUNCS; i++) {
        p[i] = PyLong_AsVoidPtr(PySequence_Fast_GET_ITEM(fast, i));
        if (!p[i]) {
            Py_DECREF(fast);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a PDFium function address is 0");
            return NULL;
        }
    }
    Py_DECREF(fast);
    memcpy(&F, p, sizeof F);
    bound = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS,
     "bind(addresses): the PDFium functions' addresses, in the order of "
     "pdf_pdfium.NATIVE_FUNCTIONS."},
    {"shapes", shapes, METH_VARARGS,
     "shapes(page_address, matrix) -> (images, paths): each drawn path as (fill, stroke, "
     "width, fill colour, stroke colour, operators), as pdf_pdfium._path reads it."},
    {"chars", chars, METH_VARARGS,
     "chars(textpage_address, matrix, height, map_checks) -> list of character dicts, "
     "as pdf_pdfium._chars_python returns them."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_page",
                                    "A PDF page's characters and shapes from PDFium, in C.",
                                    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__pdfium_page(void) {
    if (!(k_text = PyUnicode_InternFromString("text")) ||
        !(k_x0 = PyUnicode_InternFromString("x0")) ||
        !(k_x1 = PyUnicode_InternFromString("x1")) ||
        !(k_top = PyUnicode_InternFromString("top")) ||
        !(k_bottom = PyUnicode_InternFromString("bottom")) ||
        !(k_size = PyUnicode_InternFromString("size")) ||
        !(k_fontname = PyUnicode_InternFromString("fontname")) ||
        !(s_unknown = PyUnicode_InternFromString("unknown")) ||
        !(s_m = PyUnicode_InternFromString("m")) || !(s_l = PyUnicode_InternFromString("l")) ||
        !(s_c = PyUnicode_InternFromString("c")) || !(s_h = PyUnicode_InternFromString("h")))
        return NULL;
    return PyModule_Create(&module);
}
