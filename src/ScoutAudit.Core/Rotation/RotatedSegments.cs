namespace ScoutAudit.Core;

/// <summary>One rotation's files as found on disk: its sealed segment, its archive, a leftover temporary file.</summary>
internal sealed record RotatedSegment(ArchiveName Name, string BaseName)
{
    public bool HasSealed { get; set; }
    public bool HasArchive { get; set; }
    public bool HasTemporary { get; set; }

    public string SealedFile => BaseName + ArchiveName.SealedSuffix;
    public string ArchiveFile => BaseName + ArchiveName.ArchiveSuffix;
    public string TemporaryFile => BaseName + ArchiveName.TemporarySuffix;
}

internal static class RotatedSegments
{
    /// <summary>The rotations of the log, oldest first.</summary>
    public static List<RotatedSegment> List(LogFiles files)
    {
        var found = new SortedDictionary<ArchiveName, RotatedSegment>();
        IEnumerable<string> names;
        try
        {
            names = Directory.EnumerateFiles(files.Directory, files.Stem + "_*").Select(p => Path.GetFileName(p)).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        foreach (var fileName in names)
        {
            if (!ArchiveName.TryParse(fileName, files.Stem, out var name, out var suffix)) continue;
            var baseName = fileName[..^suffix.Length];
            if (!found.TryGetValue(name, out var segment)) found[name] = segment = new RotatedSegment(name, baseName);
            switch (suffix)
            {
                case ArchiveName.SealedSuffix: segment.HasSealed = true; break;
                case ArchiveName.ArchiveSuffix: segment.HasArchive = true; break;
                case ArchiveName.TemporarySuffix: segment.HasTemporary = true; break;
            }
        }
        return [.. found.Values];
    }
}
