// The one error the game raises, with a stable code the page can switch on.

/** Every reason the game refuses a request. */
export const GameErrorCodes = {
  GAME_NOT_FOUND: 'No game with that code',
  GAME_FULL: 'This game is full',
  TOO_MANY_GAMES: 'Too many games are running, try again later',
  NAME_INVALID: 'Pick a name of 1 to 20 characters',
  NAME_TAKEN: 'That name is already taken in this game',
  BAD_TOKEN: 'Unknown or expired player token',
  NOT_HOST: 'Only the host can do that',
  NOT_PLAYER: 'Join a game first',
  NOT_IN_LOBBY: 'The game has already started',
  NO_PLAYERS: 'Wait for at least one player',
  GAME_OVER: 'The game is over',
  NO_QUESTION: 'No question is open',
  TOO_LATE: 'Too late, that question is closed',
  ALREADY_ANSWERED: 'You already answered this question',
  INVALID_CHOICE: 'That is not one of the choices',
  BAD_REQUEST: 'Malformed request',
} as const;

export type GameErrorCode = keyof typeof GameErrorCodes;

/**
 * A refused game request. The quiz server turns it into the ack `{ error, code }`.
 *
 * @example
 * throw new GameError('NAME_TAKEN');
 */
export class GameError extends Error {
  override readonly name = 'GameError';

  constructor(
    readonly code: GameErrorCode,
    message: string = GameErrorCodes[code],
  ) {
    super(message);
  }
}
