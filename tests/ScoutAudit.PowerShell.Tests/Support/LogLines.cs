using System.Globalization;

namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>Writes lines into a log directly, as another writer (or the original tool) would, at chosen times.</summary>
public static class LogLines
{
    public static string Line(string eventType, DateTimeOffset at, string? model = null, double? cost = null, string session = "11111111-2222-4333-8444-555555555555")
    {
        var ts = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var line = $"{{\"ts\": \"{ts}\", \"event\": \"{eventType}\", \"session_id\": \"{session}\"";
        if (cost is { } c) line += $", \"cost\": {c.ToString("R", CultureInfo.InvariantCulture)}";
        if (model is not null) line += $", \"model\": \"{model}\"";
        return line + "}\n";
    }

    public static void Append(string path, params string[] lines) => File.AppendAllText(path, string.Concat(lines));
}
