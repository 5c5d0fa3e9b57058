using DuckDB.NET.Data;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

/// <summary>
/// The docs say an analytics engine reads the log's files as they are (the active file and the
/// gzip'd archives are plain JSONL): embedded DuckDB's read_json over them gives the same spend by
/// model and the same event count as Get-ScoutAuditSpend -By Model on the same history.
/// </summary>
public sealed class AnalyticsEngineTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ModuleSession _session = new();

    public void Dispose()
    {
        _session.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void DuckDbReadsTheActiveFileAndTheArchivesAndAgreesWithGetScoutSpend()
    {
        var log = _temp.File("audit.jsonl");
        // Three rounds of events, two of them rotated into archives; costs as small as real ones,
        // an event without a model and one without a cost.
        _session.Invoke("""
            foreach ($round in 1..3) {
                foreach ($i in 1..40) {
                    Write-ScoutAuditEvent nav -Cost (0.000003 * $i) -Model llama-3.1-8b -InputTokens $i -Path $p
                    Write-ScoutAuditEvent brief -Cost (0.0021 + 0.0001 * $round) -Model gpt-4o-mini -Path $p
                }
                Write-ScoutAuditEvent validation_fail -Path $p
                Write-ScoutAuditEvent deep -Cost 0.5 -Path $p
                if ($round -lt 3) { $null = Invoke-ScoutAuditRotation -Path $p -Confirm:$false }
            }
            Close-ScoutAuditLog -Path $p
            """, new { p = log });
        var archives = Directory.GetFiles(_temp.FullPath, "audit_*.jsonl.gz");
        Assert.Equal(2, archives.Length);

        var spend = _session.Invoke("Get-ScoutAuditSpend -By Model -Path $p", new { p = log })
            .ToDictionary(row => (string?)row.Properties["Group"].Value ?? "", row => ((decimal)row.Properties["Cost"].Value, (long)row.Properties["Events"].Value));

        var files = string.Join(", ", archives.Append(log).Select(f => $"'{f.Replace("'", "''")}'"));
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var query = duck.CreateCommand();
        query.CommandText = $"""
            SELECT coalesce(model, '') AS model, sum(CAST(coalesce(cost, 0) AS DECIMAL(38, 12))) AS cost, count(*) AS events
            FROM read_json([{files}], format = 'newline_delimited', union_by_name = true)
            GROUP BY ALL
            """;
        var duckSpend = new Dictionary<string, (decimal Cost, long Events)>();
        using (var rows = query.ExecuteReader())
        {
            while (rows.Read()) duckSpend[rows.GetString(0)] = (rows.GetDecimal(1), Convert.ToInt64(rows.GetValue(2)));
        }

        Assert.Equal(spend.Keys.Order(), duckSpend.Keys.Order());
        Assert.Equal(["", "gpt-4o-mini", "llama-3.1-8b"], spend.Keys.Order());
        foreach (var (model, (cost, events)) in spend)
        {
            Assert.Equal(events, duckSpend[model].Events);
            Assert.Equal(cost, duckSpend[model].Cost, 12);
        }
        Assert.Equal(3 * 82, spend.Values.Sum(v => v.Item2));
    }
}
