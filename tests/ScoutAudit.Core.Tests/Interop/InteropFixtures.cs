using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests.Interop;

/// <summary>
/// The committed fixtures of the interop tests (made by Fixtures/regenerate.sh from the reference
/// model), as the build copies them beside the test binaries.
/// </summary>
internal static class InteropFixtures
{
    /// <summary>Set to 1 by regenerate.sh: fixture tests write what Core produces into the source Fixtures folder.</summary>
    public const string WriteVariable = "SCOUT_WRITE_FIXTURES";

    public static bool WriteMode => Environment.GetEnvironmentVariable(WriteVariable) == "1";

    /// <summary>The copy of a fixture beside the test binaries.</summary>
    public static string PathOf(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        Assert.True(File.Exists(path), $"The fixture {name} is missing at {path}; tests/ScoutAudit.Core.Tests/Fixtures/regenerate.sh makes it.");
        return path;
    }

    /// <summary>
    /// A copy of a fixture in <paramref name="temp"/>, to read as a log: the model opens a log for
    /// appending even to read it, and Core may keep files beside a log.
    /// </summary>
    public static string CopyTo(TempFolder temp, string name)
    {
        var path = temp.File(name);
        File.Copy(PathOf(name), path);
        return path;
    }

    /// <summary>The fixture in the source tree, where <see cref="WriteMode"/> writes it.</summary>
    public static string SourcePathOf(string name)
    {
        var root = ReferenceModel.RepositoryRoot
            ?? throw new InvalidOperationException($"{WriteVariable}=1 needs the repository (a folder holding ScoutAudit.sln above {AppContext.BaseDirectory}).");
        return Path.Combine(root, "tests", "ScoutAudit.Core.Tests", "Fixtures", name);
    }

    /// <summary>The lines of a JSONL file as raw bytes, without their "\n"; the file must end with one.</summary>
    public static IReadOnlyList<byte[]> Lines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 0 && bytes[^1] == (byte)'\n', $"{path} is empty or does not end with a newline.");
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            lines.Add(bytes[start..i]);
            start = i + 1;
        }
        return lines;
    }
}
