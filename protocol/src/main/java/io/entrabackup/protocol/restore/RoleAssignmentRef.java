package io.entrabackup.protocol.restore;

/** A role assignment as a restore compares it: who holds which role where (ids are Graph's). */
public record RoleAssignmentRef(String principalId, String roleDefinitionId, String directoryScopeId) {}
