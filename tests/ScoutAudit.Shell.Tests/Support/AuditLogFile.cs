using System.Globalization;
using System.Text;

namespace ScoutAudit.Shell.Tests.Support;

/// <summary>Writes audit logs the way the original Python tool does, so the tests depend on the format, not on the module's writer.</summary>
public static class AuditLogFile
{
    public sealed record Line(DateTimeOffset Timestamp, string Event, string Model, double Cost, string SessionId = "0b9d7f4e-1c2a-4e8b-9f3d-5a6b7c8d9e0f");

    public static void Write(string path, IEnumerable<Line> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            string ts = line.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $"{{\"ts\": \"{ts}\", \"event\": \"{line.Event}\", \"session_id\": \"{line.SessionId}\", \"cost\": {line.Cost.ToString("R", CultureInfo.InvariantCulture)}, \"model\": \"{line.Model}\"}}\n");
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }
}
