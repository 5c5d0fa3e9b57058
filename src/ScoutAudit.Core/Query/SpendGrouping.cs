namespace ScoutAudit.Core;

/// <summary>How spend is broken down. Hours and days are UTC periods.</summary>
public enum SpendGrouping
{
    None,
    Model,
    Event,
    SessionId,
    Hour,
    Day,
}
