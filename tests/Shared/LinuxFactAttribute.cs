namespace ScoutAudit.Testing;

/// <summary>A fact that needs Linux behaviour (device files, errno values); reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (device files, errno values, Unix file modes)";
    }
}

/// <summary>A theory that needs Linux behaviour; reported as skipped elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (device files, errno values, Unix file modes)";
    }
}
