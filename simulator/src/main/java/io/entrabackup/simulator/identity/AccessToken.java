package io.entrabackup.simulator.identity;

import java.util.Set;

/** The claims of a verified access token that Graph needs: whose tenant, which app, what it may do, until when. */
public record AccessToken(String tenantId, String appId, Set<String> roles, Set<String> wids, long expiresAt) {}
