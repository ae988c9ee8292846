namespace Aviary.Rollouts;

/// <summary>How a new version meets traffic.</summary>
[GenerateSerializer, Alias("aviary.Strategy")]
public enum Strategy
{
    /// <summary>A rising share of users (the policy's stages), then all of them.</summary>
    Canary = 0,
    /// <summary>Only requests on the preview route until checks pass; then all traffic switches at once, and undo switches back within a window.</summary>
    BlueGreen = 1,
    /// <summary>Requests matching the rules go to the new version for a number of checks; then it takes all traffic.</summary>
    AB = 2,
    /// <summary>
    /// A share of requests is copied to the new version; clients only ever get the stable answer.
    /// Judged on the copies' outcomes and on how often they differ from stable's (mismatch rate).
    /// </summary>
    Shadow = 3,
}
