using System.IO.Compression;

namespace ScoutAudit.Core.Tests;

/// <summary>$XDG_CACHE_HOME is the process's: the tests that set it run alone.</summary>
[CollectionDefinition(nameof(ReadOnlyCommandTests), DisableParallelization = true)]
public sealed class ReadOnlyCommandCollection;

/// <summary>
/// Read-only commands write nothing where they should not (issue 24): root verifies and forwards
/// another user's log, in that user's directory, and keeps its state in its own cache; a state
/// beside a log that is not the caller's alone to write is no input to a verification.
/// </summary>
[Collection(nameof(ReadOnlyCommandTests))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // privileged facts: Linux only
public sealed class ReadOnlyCommandTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Uri Collector = new("http://127.0.0.1:4318/v1/logs");
    private readonly TempFolder _folder = new();
    private readonly string? _cacheHomeBefore = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
    private readonly string _cacheHome;
    private readonly string _path;

    public ReadOnlyCommandTests()
    {
        _cacheHome = _folder.File("cache");
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", _cacheHome);
        Directory.CreateDirectory(_folder.File("log"));
        _path = _folder.File("log", "audit.jsonl");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", _cacheHomeBefore);
        _folder.Dispose();
    }

    private string Cache => Path.Combine(_cacheHome, "scoutaudit");

    /// <summary>Three chained archives and an active file, written by the caller (root).</summary>
    private void WriteHistory()
    {
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        for (var a = 0; a < 3; a++)
        {
            for (var e = 0; e < 3; e++) log.Append(new LogEvent("nav", Start.AddHours(a).AddSeconds(e), "s") { Cost = 1 });
            log.Rotate();
        }
        for (var e = 0; e < 4; e++) log.Append(new LogEvent("deep", Start.AddHours(3).AddSeconds(e), "s"));
    }

    /// <summary>An archive of one event of cost 1000 put beside the log, outside the chain; returns its name and SHA-256.</summary>
    private (string Name, string Sha256) PutArchive()
    {
        var path = _folder.File("log", "audit_20260301_090000.jsonl.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal))
            gzip.Write("{\"ts\": \"2026-03-01T09:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 1000}\n"u8);
        return (Path.GetFileName(path), ChainKey.HexSha256(File.ReadAllBytes(path)));
    }

    /// <summary>A state that calls the archive the original tool's rotation of the active file it verified.</summary>
    private void ForgeStateBesideTheLog((string Name, string Sha256) archive) =>
        new VerifiedState(null, null, 0, null, null, "2026-03-01T10:00:00.000Z") { OriginalArchives = [new RecognisedArchive(archive.Name, archive.Sha256)] }
            .TryWrite(_path + ".verified");

    /// <summary>The log's directory and everything in it become another user's (what root sees when it reads that user's log).</summary>
    private void GiveTheLogToAnotherUser()
    {
        var directory = _folder.File("log");
        foreach (var file in Directory.EnumerateFileSystemEntries(directory)) Privileged.ChangeOwner(file, Privileged.Nobody);
        Privileged.ChangeOwner(directory, Privileged.Nobody);
    }

    /// <summary>Each entry of the log's directory, and the directory itself: name, length, modification time, mode and owner.</summary>
    private List<string> Listing()
    {
        var directory = new DirectoryInfo(_folder.File("log"));
        return [.. new FileSystemInfo[] { directory }.Concat(directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
            .Select(e => $"{e.Name} {(e as FileInfo)?.Length} {e.LastWriteTimeUtc.Ticks} {e.UnixFileMode} {NativeFile.StatusOf(e.FullName)?.UserId}")];
    }

    private (List<IntegrityFinding> Findings, LogVerificationSummary Summary) Verify()
    {
        var findings = new List<IntegrityFinding>();
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        var summary = log.Verify(null, findings.Add);
        return (findings, summary);
    }

    [PrivilegedFact]
    public void AVerificationOfAnotherUsersLogKeepsItsStateInTheCallersCacheAndComparesWithIt()
    {
        WriteHistory();
        GiveTheLogToAnotherUser();
        var before = Listing();

        var (first, firstSummary) = Verify();
        var listingAfterFirst = Listing();
        var state = Path.Combine(Cache, CallersCache.FileName(_path, ".verified"));
        var stateMode = File.GetUnixFileMode(state);
        using (var active = new FileStream(_path, FileMode.Open, FileAccess.Write)) active.SetLength(active.Length - 10);
        var (second, _) = Verify();

        Assert.Equal(("Verified", 0), (firstSummary.Status, first.Count));
        Assert.Equal(before, listingAfterFirst);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, stateMode);
        Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(Cache));
        Assert.Contains(second, f => f.Kind == IntegrityFindingKind.FileShrunk);
    }

    [PrivilegedFact]
    public void AStateTheOwnerKeptBesideTheirLogDoesNotMakeAnArchivePutOutsideTheChainAWarning()
    {
        WriteHistory();
        ForgeStateBesideTheLog(PutArchive());
        GiveTheLogToAnotherUser();

        var (findings, summary) = Verify();

        Assert.Equal("Failed", summary.Status);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.ArchiveNotInChain);
        Assert.DoesNotContain(findings, f => f.Kind == IntegrityFindingKind.VerificationStateNotTrusted); // the owner's own state is expected there
    }

    [PrivilegedFact]
    public void AStateBesideTheLogThatAnotherUserWroteIsNotComparedWith()
    {
        WriteHistory();
        ForgeStateBesideTheLog(PutArchive());
        Privileged.ChangeOwner(_path + ".verified", Privileged.Nobody);

        var (findings, summary) = Verify();

        Assert.Equal("Failed", summary.Status);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.ArchiveNotInChain);
        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.VerificationStateNotTrusted && f.Severity == IntegritySeverity.Warning);
    }

    [PrivilegedFact]
    public void AStateTheCallerKeptBesideAnotherUsersLogBeforeIsStillComparedWith()
    {
        WriteHistory();
        Assert.Empty(Verify().Findings); // an earlier version kept the state beside the log, as root
        GiveTheLogToAnotherUser();
        Privileged.ChangeOwner(_path + ".verified", 0); // root's own state, in the other user's directory
        using (var active = new FileStream(_path, FileMode.Open, FileAccess.Write)) active.SetLength(active.Length - 10);

        var (findings, _) = Verify();

        Assert.Contains(findings, f => f.Kind == IntegrityFindingKind.FileShrunk);
    }

    [PrivilegedFact]
    public void AForwarderOfAnotherUsersLogKeepsItsCheckpointInTheCallersCache()
    {
        WriteHistory();
        GiveTheLogToAnotherUser();
        var before = Listing();

        var checkpoint = ForwardingCheckpoint.Load(_path, Collector);
        checkpoint.Advance(5, Start);
        var again = ForwardingCheckpoint.Load(_path, Collector);

        Assert.Equal(StatePlace.CallersCache, checkpoint.Location.Place);
        Assert.Equal(Cache, Path.GetDirectoryName(checkpoint.Path));
        Assert.Equal(5, again.LastId);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(checkpoint.Path!));
        Assert.Equal(before, Listing());
    }

    [PrivilegedFact]
    public void AForwarderOfTheCallersOwnLogKeepsItsCheckpointBesideIt()
    {
        WriteHistory();

        var checkpoint = ForwardingCheckpoint.Load(_path, Collector);
        checkpoint.Advance(5, Start);

        Assert.Equal((StatePlace.BesideLog, ForwardingCheckpoint.DefaultPath(_path, Collector)), (checkpoint.Location.Place, checkpoint.Path));
        Assert.True(File.Exists(checkpoint.Path));
        Assert.False(Directory.Exists(Cache));
    }

    [PrivilegedFact]
    public void ACacheThatIsAnotherUsersKeepsNothingAndSaysWhy()
    {
        WriteHistory();
        GiveTheLogToAnotherUser();
        Directory.CreateDirectory(Cache);
        Privileged.ChangeOwner(Cache, Privileged.Nobody);
        var before = Listing();

        var checkpoint = ForwardingCheckpoint.Load(_path, Collector);
        checkpoint.Advance(5, Start);
        var (_, summary) = Verify();

        Assert.Equal((StatePlace.NotKept, null), (checkpoint.Location.Place, checkpoint.Path));
        Assert.Contains("not kept", checkpoint.Location.Note);
        Assert.Equal(5, checkpoint.LastId);
        Assert.Equal("Verified", summary.Status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Cache));
        Assert.Equal(before, Listing());
    }
}
