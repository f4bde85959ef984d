/** Switchboard's shared target state on Redis: {@link dev.switchboard.redis.RedisSharedState}. */
package dev.switchboard.redis;
