namespace OrderFlow.Databento;

/// <summary>A Databento symbology type: how the symbols of a request or a mapping are written.</summary>
/// <remarks>The numeric values are DBN's; "no symbology" is <see langword="null"/> (0xFF on the wire).</remarks>
/// <seealso href="https://databento.com/docs/standards-and-conventions/symbology"/>
public enum DbnSType
{
    /// <summary><c>instrument_id</c>: the numeric id in each record header.</summary>
    InstrumentId = 0,

    /// <summary><c>raw_symbol</c>: the venue's symbol, such as <c>ESH1</c>.</summary>
    RawSymbol = 1,

    /// <summary><c>smart</c> (deprecated).</summary>
    Smart = 2,

    /// <summary><c>continuous</c>: a continuous contract such as <c>ES.c.0</c>.</summary>
    Continuous = 3,

    /// <summary><c>parent</c>: every instrument of a product, such as <c>ES.FUT</c>.</summary>
    Parent = 4,

    /// <summary><c>nasdaq_symbol</c>.</summary>
    NasdaqSymbol = 5,

    /// <summary><c>cms_symbol</c>.</summary>
    CmsSymbol = 6,

    /// <summary><c>isin</c>.</summary>
    Isin = 7,

    /// <summary><c>us_code</c>.</summary>
    UsCode = 8,

    /// <summary><c>bbg_comp_id</c>.</summary>
    BbgCompId = 9,

    /// <summary><c>bbg_comp_ticker</c>.</summary>
    BbgCompTicker = 10,

    /// <summary><c>figi</c>.</summary>
    Figi = 11,

    /// <summary><c>figi_ticker</c>.</summary>
    FigiTicker = 12,
}
