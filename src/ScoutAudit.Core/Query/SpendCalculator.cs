namespace ScoutAudit.Core;

/// <summary>Sums spend while events stream past; memory grows with the number of groups only.</summary>
internal sealed class SpendCalculator(SpendGrouping? grouping, EventFilter filter)
{
    private readonly Dictionary<string, Totals> _groups = new(StringComparer.Ordinal);
    private Totals _ungrouped = new();
    private Totals _withoutModel = new();

    private sealed class Totals
    {
        public decimal Cost;
        public long Events;
        public long InputTokens;
        public long OutputTokens;

        public void Add(EventSummary e)
        {
            // decimal(double) keeps 15 significant digits: exact for the costs people write.
            if (e.Cost is { } cost) Cost = SaturatingAdd(Cost, cost);
            Events++;
            InputTokens = SaturatingAdd(InputTokens, e.InputTokens ?? 0);
            OutputTokens = SaturatingAdd(OutputTokens, e.OutputTokens ?? 0);
        }

        // A line may hold any number JSON allows (1e300 dollars, 2^63-1 tokens): a total that leaves
        // the range stays at its limit instead of throwing or wrapping round to the other sign.
        private static decimal SaturatingAdd(decimal total, double value)
        {
            if (value >= (double)decimal.MaxValue) return decimal.MaxValue;
            if (value <= (double)decimal.MinValue) return decimal.MinValue;
            try
            {
                return total + (decimal)value;
            }
            catch (OverflowException)
            {
                return value > 0 ? decimal.MaxValue : decimal.MinValue;
            }
        }

        private static long SaturatingAdd(long total, long value)
        {
            var sum = unchecked(total + value);
            return ((total ^ sum) & (value ^ sum)) < 0 ? (value > 0 ? long.MaxValue : long.MinValue) : sum;
        }
    }

    public void Add(EventSummary e)
    {
        var key = KeyOf(e);
        if (grouping is null) _ungrouped.Add(e);
        else if (key is null) _withoutModel.Add(e);
        else
        {
            if (!_groups.TryGetValue(key, out var totals)) _groups[key] = totals = new Totals();
            totals.Add(e);
        }
    }

    public IReadOnlyList<SpendTotals> Result()
    {
        if (grouping is null) return [Row(null, _ungrouped)];
        var rows = _groups.Select(pair => Row(pair.Key, pair.Value)).ToList();
        if (_withoutModel.Events > 0) rows.Add(Row(null, _withoutModel));
        return grouping is SpendGrouping.Hour or SpendGrouping.Day
            ? rows.OrderBy(r => r.Group, StringComparer.Ordinal).ToList()
            : rows.OrderByDescending(r => r.Cost).ThenBy(r => r.Group, StringComparer.Ordinal).ToList();
    }

    private SpendTotals Row(string? group, Totals totals) =>
        new(group, totals.Cost, totals.Events, totals.InputTokens, totals.OutputTokens, filter.Since, filter.Until);

    private string? KeyOf(EventSummary e) => grouping switch
    {
        SpendGrouping.Model => e.Model,
        SpendGrouping.Event => e.Event,
        SpendGrouping.SessionId => e.SessionId,
        SpendGrouping.Hour => e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH':00Z'", System.Globalization.CultureInfo.InvariantCulture),
        SpendGrouping.Day => e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
